// Example: Q-learning with a small Q-network on a gridworld (a DQN in miniature): ε-greedy
// experience goes into a replay buffer; each step regresses Q(s, a) on the double-DQN target
// r + γ·Q_target(s', argmax_a' Q(s', a')) (no bootstrap past a terminal state). The target
// network is a second, frozen QNet: it starts as a copy of the online network (loadStateDict) and
// tracks it by Polyak averaging, assigned (k.assign) in the same jitted step that trains the
// online network. The step also returns the online Q-table of every state, which the ε-greedy
// policy reads. Run: pnpm exec tsx examples/q-learning.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { argmaxAt, isMain, jitOptions, runMain, type TrainOptions, type TrainResult } from './common.js';
import { Gridworld, type Action } from './lib/datasets.js';

const GAMMA = 0.95;
const TAU = 0.05;
const HIDDEN = 64;
const BUFFER = 5000;

/** Q-values [B, 4] for states [B] (i32 cell ids, one-hot encoded in the graph). */
export class QNet extends k.nn.Module {
  readonly fc1: k.nn.Linear;
  readonly fc2 = new k.nn.Linear(HIDDEN, 4);

  constructor(readonly numStates: number) {
    super();
    this.fc1 = new k.nn.Linear(numStates, HIDDEN, { weightInit: k.init.heUniform() });
  }

  forward(states: k.Tensor): k.Tensor {
    return this.fc2.forward(this.fc1.forward(k.oneHot(states, this.numStates)).relu());
  }
}

function toAction(i: number): Action {
  if (i === 0 || i === 1 || i === 2 || i === 3) return i;
  throw new Error(`no action ${i}`);
}

export async function train(opts: TrainOptions & { readonly batch?: number }): Promise<TrainResult> {
  const batch = opts.batch ?? 32;
  const env = new Gridworld({ seed: opts.seed, slip: 0.1 });
  const S = env.numStates;
  k.manualSeed(opts.seed);
  const online = new QNet(S);
  const target = new QNet(S);
  // The target network starts as the online one and is never trained (only assigned to below).
  await target.loadStateDict(await online.stateDict());
  target.freeze();
  const opt = k.optim.adam({ lr: 1e-3 });
  const onlineParams = online.parameters();
  const targetParams = target.parameters();
  const step = k.jit(
    ({ s, a, r, s2, terminal }: k.Inputs<'s' | 'a' | 'r' | 's2' | 'terminal'>) => {
      const qsa = online.forward(s).mul(k.oneHot(a, 4)).sum(-1);
      // Double DQN: the online network picks the next action, the target network values it.
      const next = target
        .forward(s2)
        .mul(k.oneHot(online.forward(s2).argmax(-1), 4))
        .sum(-1);
      const y = r.add(next.mul(terminal.neg().add(1)).mul(GAMMA));
      const loss = k.losses.mse(qsa, y, { reduction: 'mean' });
      const updates = opt.minimize(loss);
      // Polyak averaging: each target weight moves a fraction TAU of the way to its online twin
      // (both classes list their parameters in the same order).
      targetParams.forEach((t, i) => k.assign(t, t.mul(1 - TAU).add(onlineParams[i]!.mul(TAU))));
      return { loss, qAll: online.forward(k.arange(S)), updates };
    },
    jitOptions(opts, 'dqn_train'),
  );

  const rng = k.data.Rng.fromSeed(opts.seed + 7);
  const buf = { s: new Int32Array(BUFFER), a: new Int32Array(BUFFER), r: new Float32Array(BUFFER), s2: new Int32Array(BUFFER), terminal: new Float32Array(BUFFER) };
  let size = 0;
  let cursor = 0;
  let qAll: ArrayLike<number> = new Float32Array(S * 4);
  let state = env.reset();
  let episodeReturn = 0;
  const returns: number[] = [];
  const act = (eps: number): Action => toAction(rng.float() < eps ? rng.int(4) : argmaxAt(qAll, state * 4, 4));
  const envStep = (eps: number): void => {
    const a = act(eps);
    const res = env.step(a);
    buf.s[cursor] = state;
    buf.a[cursor] = a;
    buf.r[cursor] = res.reward;
    buf.s2[cursor] = res.state;
    buf.terminal[cursor] = res.done && !res.truncated ? 1 : 0;
    cursor = (cursor + 1) % BUFFER;
    size = Math.min(size + 1, BUFFER);
    episodeReturn += res.reward;
    state = res.state;
    if (res.done) {
      returns.push(episodeReturn);
      episodeReturn = 0;
      state = env.reset();
    }
  };
  for (let i = 0; i < 4 * batch; i++) envStep(1);

  const losses: number[] = [];
  const inputs = { s: new Int32Array(batch), a: new Int32Array(batch), r: new Float32Array(batch), s2: new Int32Array(batch), terminal: new Float32Array(batch) };
  for (let t = 1; t <= opts.steps; t++) {
    envStep(Math.max(0.05, 1 - t / (0.5 * opts.steps)));
    for (let i = 0; i < batch; i++) {
      const j = rng.int(size);
      inputs.s[i] = buf.s[j]!;
      inputs.a[i] = buf.a[j]!;
      inputs.r[i] = buf.r[j]!;
      inputs.s2[i] = buf.s2[j]!;
      inputs.terminal[i] = buf.terminal[j]!;
    }
    const out = await step({
      s: k.tensor(inputs.s, [batch]),
      a: k.tensor(inputs.a, [batch]),
      r: k.tensor(inputs.r, [batch]),
      s2: k.tensor(inputs.s2, [batch]),
      terminal: k.tensor(inputs.terminal, [batch]),
    });
    losses.push(out.loss.item());
    qAll = out.qAll.data;
    if (t === 1) opts.onFirstStep?.(step);
    opts.onStep?.(t, out.loss.item());
  }
  step.dispose();
  // Greedy rollout without slips: does the learned policy reach the goal?
  const test = new Gridworld({ seed: opts.seed });
  let s = test.reset();
  let ret = 0;
  let moves = 0;
  let outcome = 'truncated';
  for (;;) {
    const res = test.step(toAction(argmaxAt(qAll, s * 4, 4)));
    ret += res.reward;
    moves++;
    s = res.state;
    if (res.done) {
      outcome = res.truncated ? 'truncated' : test.cell(s) === 'G' ? 'goal' : 'pit';
      break;
    }
  }
  const recent = returns.slice(-20);
  return {
    losses,
    metrics: {
      'greedy rollout': `${outcome} in ${moves} moves, return ${ret.toFixed(2)}`,
      'mean return of the last 20 training episodes': recent.reduce((x, y) => x + y, 0) / Math.max(1, recent.length),
      episodes: returns.length,
      'Q(start) max': Math.max(...Array.from({ length: 4 }, (_, j) => qAll[j]!)),
    },
  };
}

if (isMain(import.meta.url)) await runMain({ name: 'q-learning', defaultSteps: 3000, train, logY: true });
