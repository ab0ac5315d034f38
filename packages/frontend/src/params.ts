// Frontend: creating state inside a trace — parameters (trainable), other state (optimizer slots,
// counters), random keys, name scopes, and state updates. Layers (nn.ts, later optim) build on these.

import type { DType, Shape } from '@kiln/ir';
import { full, type TensorLike } from './broadcast.js';
import { zeros as zerosInit, type Initializer } from './init.js';
import { Tensor } from './tensor.js';
import { currentTrace, type TraceContext } from './trace-context.js';

export interface ParamOptions {
  readonly dtype?: DType;
  /** False for state that optimizers must not update by gradient (default true). */
  readonly trainable?: boolean;
  /** Use `name` as the full name, ignoring enclosing scopes (e.g. optimizer slots named after their parameter). */
  readonly exactName?: boolean;
}

/**
 * A parameter: a state input named `<scope>.<name>` initialised by `init` when compiled. Names are
 * unique within a trace; a second parameter with the same full name is an error.
 */
export function param(name: string, shape: Shape, init: Initializer, opts: ParamOptions = {}): Tensor {
  const ctx = currentTrace('k.param');
  return ctx.createState(name, { dtype: opts.dtype ?? 'f32', shape: [...shape] }, init, { trainable: opts.trainable ?? true, exactName: opts.exactName ?? false });
}

/** Non-trainable state (optimizer slots, step counters): zeros unless `init` says otherwise. */
export function state(name: string, shape: Shape, init: Initializer = zerosInit(), opts: Omit<ParamOptions, 'trainable'> = {}): Tensor {
  const type = { dtype: opts.dtype ?? 'f32', shape: [...shape] };
  return currentTrace('k.state').createState(name, type, init, { trainable: false, exactName: opts.exactName ?? false });
}

/** The full name of a state input tensor (a parameter, slot or key). */
export function stateName(t: Tensor): string {
  const name = t.trace.stateNameOf(t);
  if (name === undefined) throw t.trace.error('stateName', `${String(t)} is not a state input`, [t]);
  return name;
}

/**
 * Runs `fn` in a name scope: parameters created inside are named `<base><k>.<name>`, k counting
 * the uses of `base` at this level (linear0, linear1, …), or `<base>.<name>` exactly with `exact`.
 */
export function scope<T>(base: string, fn: () => T, opts: { exact?: boolean } = {}): T {
  return currentTrace('k.scope').scoped(base, fn, opts.exact ?? false);
}

/** The public function behind each scope kind, for messages. */
const LAYER_FUNCTIONS: Readonly<Record<string, string>> = {
  mha: 'k.layers.multiHeadAttention',
  block: 'k.layers.transformerBlock',
  gcn: 'k.layers.graphConv',
  batchnorm: 'k.layers.batchNorm',
  rnn: 'k.layers.rnnCell',
  lstm: 'k.layers.lstmCell',
  gru: 'k.layers.gruCell',
  layernorm: 'k.nn.layerNorm',
};

/** Scope for a layer: `name` when the user gave one (used as is), else `<kind><k>`. */
export function layerScope<T>(ctx: TraceContext, kind: string, name: string | undefined, fn: () => T): T {
  return ctx.atCaller(() => {
    if (name !== undefined) return ctx.scoped(name, fn, true);
    ctx.noteAnonymousLayer(kind, LAYER_FUNCTIONS[kind] ?? `k.nn.${kind}`);
    return ctx.scoped(kind, fn);
  });
}

/** The trainable parameters created so far in the current trace, in creation order. */
export function trainableParams(): Tensor[] {
  const ctx = currentTrace('k.trainableParams');
  return ctx.params.filter((p) => p.trainable).map((p) => ctx.stateNamed(p.name)!);
}

/** Every state input created so far in the current trace. */
export function stateTensors(): Record<string, Tensor> {
  const ctx = currentTrace('k.stateTensors');
  return Object.fromEntries(ctx.params.map((p) => [p.name, ctx.stateNamed(p.name)!]));
}

/** Records `value` as the new value of the state input `target` (a state Tensor or its name) after each run. */
export function assign(target: Tensor | string, value: TensorLike): void {
  const ctx = target instanceof Tensor ? target.trace : currentTrace('k.assign');
  const st = target instanceof Tensor ? target : ctx.stateNamed(target);
  const v = value instanceof Tensor ? value : full(ctx, 'assign', value, st?.dtype ?? 'f32', st?.shape ?? []);
  ctx.assign(target, v);
}

/** A fresh u32[2] random key (different in every call and every run), from the RNG state `stateName`. */
export function randomKey(stateName = 'rng'): Tensor {
  return currentTrace('k.randomKey').randomKey(stateName);
}
