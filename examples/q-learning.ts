// Example: Q-learning with a small Q-network on a gridworld (a DQN in miniature): ε-greedy
// experience goes into a replay buffer; each step regresses Q(s, a) on the Bellman target
// r + γ·max_a' Q_target(s', a') (no bootstrap past a terminal state). The target network is
// optimizer-free state (`target.*`) tracking the online weights by Polyak averaging, updated in
// the same compiled step. Run: pnpm exec tsx examples/q-learning.ts [--steps N]

import * as k from '@kiln/frontend';
import { argmaxAt, array, compileWith, isMain, runMain, scalar, type TrainOptions, type TrainResult } from './common.js';
import { Gridworld, type Action } from './lib/datasets.js';

const GAMMA = 0.95;
const TAU = 0.05;
const HIDDEN = 64;
const BUFFER = 5000;

interface QWeights {
  readonly w1: k.Tensor;
  readonly b1: k.Tensor;
  readonly w2: k.Tensor;
  readonly b2: k.Tensor;
}

/** Q-values [B, 4] for states [B] (i32), one-hot encoded in the graph. */
function qValues(states: k.Tensor, numStates: number, w: QWeights): k.Tensor {
  return k.oneHot(states, numStates).matmul(w.w1).add(w.b1).relu().matmul(w.w2).add(w.b2);
}

export async function train(opts: TrainOptions & { readonly batch?: number }): Promise<TrainResult> {
  const batch = opts.batch ?? 32;
  const env = new Gridworld({ seed: opts.seed, slip: 0.1 });
  const S = env.numStates;
  const shapes = { w1: [S, HIDDEN], b1: [HIDDEN], w2: [HIDDEN, 4], b2: [4] } as const;
  const traced = k.trace(({ s, a, r, s2, terminal }) => {
    const online: QWeights = {
      w1: k.param('q.w1', shapes.w1, k.init.heUniform()),
      b1: k.param('q.b1', shapes.b1, k.init.zeros()),
      w2: k.param('q.w2', shapes.w2, k.init.glorotUniform()),
      b2: k.param('q.b2', shapes.b2, k.init.zeros()),
    };
    // Starts as zeros here; train() copies the online weights in before the first step.
    const target = Object.fromEntries(Object.entries(shapes).map(([n, shape]) => [n, k.state(`target.${n}`, shape)])) as unknown as QWeights;
    const qsa = qValues(s, S, online).mul(k.oneHot(a, 4)).sum(-1);
    const next = qValues(s2, S, target).max(-1);
    const y = r.add(next.mul(terminal.neg().add(1)).mul(GAMMA));
    const loss = k.losses.mse(qsa, y, { reduction: 'mean' });
    const updates = k.optim.adam({ lr: 1e-3 }).minimize(loss);
    for (const n of Object.keys(shapes) as (keyof QWeights)[]) updates[`target.${n}`] = target[n].mul(1 - TAU).add(updates[`q.${n}`]!.mul(TAU));
    return { loss, qAll: qValues(k.arange(S), S, online), updates };
  }, { s: k.i32([batch]), a: k.i32([batch]), r: k.f32([batch]), s2: k.i32([batch]), terminal: k.f32([batch]) }, { name: 'dqn_train' });
  const step = await compileWith(traced, opts);
  for (const n of Object.keys(shapes)) step.setParam(`target.${n}`, await step.getParam(`q.${n}`));

  const rng = k.data.Rng.fromSeed(opts.seed + 7);
  const buf = { s: new Int32Array(BUFFER), a: new Int32Array(BUFFER), r: new Float32Array(BUFFER), s2: new Int32Array(BUFFER), terminal: new Float32Array(BUFFER) };
  let size = 0;
  let cursor = 0;
  let qAll: ArrayLike<number> = new Float32Array(S * 4);
  let state = env.reset();
  let episodeReturn = 0;
  const returns: number[] = [];
  const act = (eps: number): Action => (rng.float() < eps ? rng.int(4) : argmaxAt(qAll, state * 4, 4)) as Action;
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
    const out = await step.run(inputs);
    losses.push(scalar(out, 'loss'));
    qAll = array(out, 'qAll');
    opts.onStep?.(t, losses[t - 1]!);
  }
  step.dispose();
  // Greedy rollout without slips: does the learned policy reach the goal?
  const test = new Gridworld({ seed: opts.seed });
  let s = test.reset();
  let ret = 0;
  let moves = 0;
  let outcome = 'truncated';
  for (;;) {
    const res = test.step(argmaxAt(qAll, s * 4, 4) as Action);
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
