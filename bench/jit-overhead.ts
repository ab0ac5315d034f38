// Benchmarks: host overhead of a cached k.jit call on W4 — the same MLP training step run through
// k.jit (a module, typed host tensors in and out) and through k.compile's Step.run, interleaved on
// one device so both see the same machine state; reported as the ratio of the medians.

import * as k from '@kiln/frontend';
import { summarize } from './harness.js';
import { MLP_CLASSES, MLP_IN } from './workloads.js';

class Mlp extends k.nn.Module {
  fc1: k.nn.Linear;
  fc2: k.nn.Linear;
  out: k.nn.Linear;
  constructor(hidden: number) {
    super();
    this.fc1 = new k.nn.Linear(MLP_IN, hidden);
    this.fc2 = new k.nn.Linear(hidden, hidden);
    this.out = new k.nn.Linear(hidden, MLP_CLASSES);
  }
  forward(x: k.Tensor): k.Tensor {
    return this.out.forward(this.fc2.forward(this.fc1.forward(x).relu()).relu());
  }
}

export interface JitOverhead {
  readonly jitMs: number;
  readonly stepMs: number;
  /** jitMs / stepMs. */
  readonly ratio: number;
  readonly samples: number;
}

/** Median per-call wall time of both forms over `samples` interleaved calls (after warm-up). */
export async function measureJitOverhead(batch: number, hidden: number, lr: number, x: Float32Array, labels: Int32Array, samples: number): Promise<JitOverhead> {
  const model = new Mlp(hidden);
  const opt = k.optim.sgd({ lr });
  const step = k.jit(
    ({ x, y }: k.Inputs<'x' | 'y'>) => {
      const loss = k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
      return { loss, updates: opt.minimize(loss) };
    },
    { backend: 'webgpu', name: 'w4_jit' },
  );
  const legacy = await k.compile(
    k.trace(
      ({ x, y }) => {
        const h1 = k.relu(k.nn.linear(x, MLP_IN, hidden, { name: 'fc1' }));
        const h2 = k.relu(k.nn.linear(h1, hidden, hidden, { name: 'fc2' }));
        const loss = k.losses.softmaxCrossEntropy(k.nn.linear(h2, hidden, MLP_CLASSES, { name: 'out' }), y, { reduction: 'mean' });
        return { loss, updates: k.optim.sgd({ lr }).minimize(loss) };
      },
      { x: k.f32([batch, MLP_IN]), y: k.i32([batch]) },
      { name: 'w4_step' },
    ),
    { backend: 'webgpu' },
  );
  const inputs = { x: k.tensor(x, [batch, MLP_IN]), y: k.tensor(labels, [batch]) };
  const feed = { x, y: labels };
  for (let i = 0; i < 3; i++) {
    await step(inputs);
    await legacy.run(feed);
  }
  const jitMs: number[] = [];
  const stepMs: number[] = [];
  // ABBA order, so a drift in machine load during the run weighs on both forms alike.
  const timeJit = async (): Promise<void> => {
    const t = performance.now();
    await step(inputs);
    jitMs.push(performance.now() - t);
  };
  const timeStep = async (): Promise<void> => {
    const t = performance.now();
    await legacy.run(feed);
    stepMs.push(performance.now() - t);
  };
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      await timeJit();
      await timeStep();
    } else {
      await timeStep();
      await timeJit();
    }
  }
  step.dispose();
  legacy.dispose();
  const j = summarize(jitMs).median;
  const s = summarize(stepMs).median;
  return { jitMs: j, stepMs: s, ratio: j / s, samples };
}
