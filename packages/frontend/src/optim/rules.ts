// Optimizers: the per-parameter update rules, one entry per optimizer kind (a total table, so a
// new kind does not compile until its rule exists). Each rule maps (θ, g, lr, t, slots) → θ'.
// Formulas follow the textbook/PyTorch forms quoted on each rule; g already includes clipping and,
// except for AdamW, L2 weight decay (g + λθ).

import { add, div, expm1, mul, neg, sqrt, sub } from '../elementwise.js';
import type { TensorLike } from '../broadcast.js';
import type { Tensor } from '../tensor.js';
import type { LearningRate } from './schedules.js';

export type OptimizerKind = 'sgd' | 'momentum' | 'nesterov' | 'rmsprop' | 'adagrad' | 'adam' | 'adamw';

export interface CommonOptions {
  /** Learning rate: a number, a schedule, or an f32 scalar tensor (e.g. a runtime input of a jitted function) (default per kind). */
  readonly lr?: LearningRate | Tensor;
  /** λ: L2 (added to the gradient) for every kind except adamw, where it is decoupled. */
  readonly weightDecay?: number;
  /** Clip the gradients to this global L2 norm before anything else. */
  readonly clipNorm?: number;
  /** Prefix of the optimizer's state names (default: the kind), e.g. `adam.m.<param>`, `adam.step`. */
  readonly name?: string;
}

export interface MomentumOptions extends CommonOptions {
  /** μ (default 0.9). */
  readonly momentum?: number;
}
export interface RmspropOptions extends CommonOptions {
  /** ρ, the decay of the mean square (default 0.9). */
  readonly rho?: number;
  readonly eps?: number;
}
export interface AdagradOptions extends CommonOptions {
  readonly eps?: number;
  /** Initial value of the squared-gradient accumulator (default 0). */
  readonly initialAccumulator?: number;
}
export interface AdamOptions extends CommonOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
}

export interface OptionsByKind {
  sgd: CommonOptions;
  momentum: MomentumOptions;
  nesterov: MomentumOptions;
  rmsprop: RmspropOptions;
  adagrad: AdagradOptions;
  adam: AdamOptions;
  adamw: AdamOptions;
}

/** A state slot of one parameter (created zero-initialised or `init`-filled on first use). */
export interface Slot {
  readonly value: Tensor;
  set(v: Tensor): void;
}

export interface RuleArgs<K extends OptimizerKind> {
  readonly param: Tensor;
  readonly grad: Tensor;
  readonly lr: TensorLike;
  /** 1-based f32 step number of this update (for bias correction). */
  readonly t: Tensor;
  readonly opts: OptionsByKind[K];
  /** λ (resolved, default 0 except adamw). */
  readonly weightDecay: number;
  slot(kind: string, fill?: number): Slot;
}

export interface Rule<K extends OptimizerKind> {
  /** Default learning rate. */
  readonly lr: number;
  readonly defaultWeightDecay: number;
  /** Weight decay is applied by the rule itself (AdamW), not added to the gradient. */
  readonly decoupledDecay: boolean;
  /** The rule uses `t` (so the 1-based step is computed). */
  readonly usesStep: boolean;
  update(a: RuleArgs<K>): Tensor;
}

/** v' = μv + g; θ' = θ − lr·v' (heavy ball, PyTorch's form), or θ' = θ − lr·(g + μv') (Nesterov). */
function momentumUpdate(a: RuleArgs<'momentum' | 'nesterov'>, nesterov: boolean): Tensor {
  const mu = a.opts.momentum ?? 0.9;
  const v = a.slot('v');
  const v2 = add(mul(v.value, mu), a.grad);
  v.set(v2);
  const dir = nesterov ? add(a.grad, mul(v2, mu)) : v2;
  return sub(a.param, mul(dir, a.lr));
}

/** lr·c, folded on the host when lr is a number. */
function scaled(lr: TensorLike, c: number): TensorLike {
  return typeof lr === 'number' ? lr * c : mul(lr, c);
}

/** 1 - β^t as -expm1(t·ln β): accurate in f32 even when β^t is close to 1. */
function oneMinusPow(beta: number, t: Tensor): Tensor {
  return neg(expm1(mul(t, Math.log(beta))));
}

/**
 * Adam (Kingma & Ba, Algorithm 1): m' = β1m + (1-β1)g, v' = β2v + (1-β2)g², m̂ = m'/(1-β1^t),
 * v̂ = v'/(1-β2^t), step = m̂/(√v̂ + ε). Evaluated as lr·√bc2/bc1 · m'/(√v' + ε√bc2), which is
 * the same expression with the scalar factors gathered (so only scalars see the bias correction).
 */
function adamStep(a: RuleArgs<'adam' | 'adamw'>): { dir: Tensor; lrScale: Tensor } {
  const b1 = a.opts.beta1 ?? 0.9;
  const b2 = a.opts.beta2 ?? 0.999;
  const eps = a.opts.eps ?? 1e-8;
  const m = a.slot('m');
  const v = a.slot('v');
  const m2 = add(mul(m.value, b1), mul(a.grad, 1 - b1));
  const v2 = add(mul(v.value, b2), mul(mul(a.grad, a.grad), 1 - b2));
  m.set(m2);
  v.set(v2);
  const sqrtBc2 = sqrt(oneMinusPow(b2, a.t));
  const bc1 = oneMinusPow(b1, a.t);
  const dir = div(m2, add(sqrt(v2), mul(sqrtBc2, eps)));
  return { dir, lrScale: div(sqrtBc2, bc1) };
}

export const rules: { readonly [K in OptimizerKind]: Rule<K> } = {
  /** θ' = θ − lr·g */
  sgd: { lr: 0.01, defaultWeightDecay: 0, decoupledDecay: false, usesStep: false, update: (a) => sub(a.param, mul(a.grad, a.lr)) },
  momentum: { lr: 0.01, defaultWeightDecay: 0, decoupledDecay: false, usesStep: false, update: (a) => momentumUpdate(a, false) },
  nesterov: { lr: 0.01, defaultWeightDecay: 0, decoupledDecay: false, usesStep: false, update: (a) => momentumUpdate(a, true) },
  /** s' = ρs + (1-ρ)g²; θ' = θ − lr·g/(√s' + ε) */
  rmsprop: {
    lr: 0.001,
    defaultWeightDecay: 0,
    decoupledDecay: false,
    usesStep: false,
    update: (a) => {
      const rho = a.opts.rho ?? 0.9;
      const s = a.slot('ms');
      const s2 = add(mul(s.value, rho), mul(mul(a.grad, a.grad), 1 - rho));
      s.set(s2);
      return sub(a.param, mul(div(a.grad, add(sqrt(s2), a.opts.eps ?? 1e-8)), a.lr));
    },
  },
  /** G' = G + g²; θ' = θ − lr·g/(√G' + ε) */
  adagrad: {
    lr: 0.01,
    defaultWeightDecay: 0,
    decoupledDecay: false,
    usesStep: false,
    update: (a) => {
      const acc = a.slot('acc', a.opts.initialAccumulator ?? 0);
      const acc2 = add(acc.value, mul(a.grad, a.grad));
      acc.set(acc2);
      return sub(a.param, mul(div(a.grad, add(sqrt(acc2), a.opts.eps ?? 1e-10)), a.lr));
    },
  },
  adam: {
    lr: 0.001,
    defaultWeightDecay: 0,
    decoupledDecay: false,
    usesStep: true,
    update: (a) => {
      const { dir, lrScale } = adamStep(a);
      return sub(a.param, mul(dir, mul(lrScale, a.lr)));
    },
  },
  /** AdamW (Loshchilov & Hutter, PyTorch's form): θ' = θ − lr·(adam step + λθ). */
  adamw: {
    lr: 0.001,
    defaultWeightDecay: 0.01,
    decoupledDecay: true,
    usesStep: true,
    update: (a) => {
      const { dir, lrScale } = adamStep(a);
      const decayed = a.weightDecay === 0 ? a.param : sub(a.param, mul(a.param, scaled(a.lr, a.weightDecay)));
      return sub(decayed, mul(dir, mul(lrScale, a.lr)));
    },
  },
};
