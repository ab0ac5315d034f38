// Frontend function transforms over symbolic backprop (@kiln/passes autodiff/backprop.ts): TF-style
// `gradients(ys, xs)` inside a trace, and JAX-style `grad`, `valueAndGrad`, `vjp`, `hvp`.
// All of them append ordinary IR to the current trace; nothing is recorded at run time.

import { formatType, numel, type ValueId } from '@kiln/ir';
import { appendGradients } from '@kiln/passes';
import { currentTrace, type TraceContext } from './trace-context.js';
import { Tensor } from './tensor.js';

type OneOrMany = Tensor | readonly Tensor[];

const asList = (t: OneOrMany): readonly Tensor[] => (Array.isArray(t) ? (t as readonly Tensor[]) : [t as Tensor]);

function traceOf(what: string, tensors: readonly Tensor[]): TraceContext {
  const ctx = currentTrace(what);
  for (const t of tensors) ctx.checkOwn(what, t);
  return ctx;
}

function nodeCount(ctx: TraceContext): number {
  return ctx.builder.build().nodes.length;
}

function requireF32(ctx: TraceContext, what: string, ts: readonly Tensor[], role: string): void {
  for (const t of ts) if (t.type.dtype !== 'f32') throw ctx.error(what, `${role} must be f32, got ${formatType(t.type)}`, [t]);
}

function backprop(ctx: TraceContext, what: string, ys: readonly Tensor[], seeds: readonly Tensor[], xs: readonly Tensor[], firstActiveNode: number): Tensor[] {
  requireF32(ctx, what, ys, 'differentiated outputs');
  requireF32(ctx, what, xs, 'differentiation variables');
  ys.forEach((y, i) => {
    const s = seeds[i]!;
    if (s.type.dtype !== y.type.dtype || s.type.shape.join() !== y.type.shape.join())
      throw ctx.error(what, `cotangent #${i} has type ${formatType(s.type)} but the output is ${formatType(y.type)}`, [y, s]);
  });
  const ids: ValueId[] = appendGradients(
    ctx.builder,
    ys.map((y) => y.id),
    seeds.map((s) => s.id),
    xs.map((x) => x.id),
    { firstActiveNode },
  );
  return ids.map((id) => ctx.wrap(id));
}

/**
 * TF-style symbolic gradients inside a trace: d(Σ_i <gradYs[i], ys[i]>)/dx for each x (gradYs
 * default to ones, so a scalar loss gives its plain gradient). xs may be any f32 tensors of the
 * trace (inputs, parameters or intermediates); the whole graph so far is differentiated.
 */
export function gradients(ys: OneOrMany, xs: readonly Tensor[], gradYs?: OneOrMany): Tensor[] {
  const yList = asList(ys);
  const seeds = gradYs === undefined ? undefined : asList(gradYs);
  const ctx = traceOf('gradients', [...yList, ...xs, ...(seeds ?? [])]);
  if (seeds !== undefined && seeds.length !== yList.length) throw ctx.error('gradients', `${yList.length} output(s) but ${seeds.length} cotangent(s)`);
  const ones = seeds ?? yList.map((y) => ctx.constant(1, y.type));
  return backprop(ctx, 'gradients', yList, ones, xs, 0);
}

export interface GradOptions {
  /** Which positional arguments to differentiate: one index (result is one Tensor) or a list (result is a list). Default 0. */
  readonly argnums?: number | readonly number[];
}

type Fn<R> = (...args: Tensor[]) => R;

/** The arguments selected by argnums. */
function selected(ctx: TraceContext, what: string, args: readonly Tensor[], argnums: number | readonly number[]): Tensor[] {
  const nums = typeof argnums === 'number' ? [argnums] : argnums;
  return nums.map((i) => {
    const a = args[i];
    if (a === undefined) throw ctx.error(what, `argnums ${i} is out of range for ${args.length} argument(s)`);
    return a;
  });
}

/**
 * Calls f on args, recording the node index where f started: gradients of f flow only through the
 * nodes f appended, so tensors f closes over (and any computation of its arguments) are constants.
 */
function traceCall<R>(what: string, f: Fn<R>, args: readonly Tensor[]): { ctx: TraceContext; out: R; start: number } {
  const ctx = traceOf(what, args);
  const start = nodeCount(ctx);
  const out = f(...args);
  return { ctx, out, start };
}

function scalarOutput(ctx: TraceContext, what: string, out: unknown): Tensor {
  if (!(out instanceof Tensor)) throw ctx.error(what, 'the function must return one scalar Tensor');
  const t = out;
  ctx.checkOwn(what, t);
  if (numel(t.type.shape) !== 1)
    throw ctx.error(
      what,
      `k.${what}(f) differentiates a scalar function, but f returned ${formatType(t.type)}: reduce it first (e.g. .sum() or .mean()), or use k.vjp(f) for a vector-Jacobian product`,
      [t],
    );
  return t;
}

/** valueAndGrad(f)(...args) → [f(...args), gradient(s) with respect to args[argnums]]. f must return a scalar f32 Tensor. */
export function valueAndGrad(f: Fn<Tensor>, opts: GradOptions = {}): (...args: Tensor[]) => [Tensor, Tensor | Tensor[]] {
  const argnums = opts.argnums ?? 0;
  return (...args: Tensor[]) => {
    const { ctx, out, start } = traceCall('valueAndGrad', f, args);
    const y = scalarOutput(ctx, 'valueAndGrad', out);
    const xs = selected(ctx, 'valueAndGrad', args, argnums);
    const grads = backprop(ctx, 'valueAndGrad', [y], [ctx.constant(1, y.type)], xs, start);
    return [y, typeof argnums === 'number' ? grads[0]! : grads];
  };
}

/** grad(f)(...args) → the gradient of the scalar f with respect to args[argnums] (default the first). */
export function grad(f: Fn<Tensor>, opts: GradOptions = {}): (...args: Tensor[]) => Tensor | Tensor[] {
  const vg = valueAndGrad(f, opts);
  return (...args: Tensor[]) => vg(...args)[1];
}

/** The pullback of vjp: cotangents of f's outputs (same structure) → cotangents of every argument. */
export type Pullback = (cotangents: OneOrMany) => Tensor[];

/**
 * vjp(f)(...args) → [f(...args), pullback]; pullback(ct) appends the backward pass for that
 * cotangent and returns one cotangent per argument. It may be called several times.
 */
export function vjp<R extends OneOrMany>(f: Fn<R>): (...args: Tensor[]) => [R, Pullback] {
  return (...args: Tensor[]) => {
    const { ctx, out, start } = traceCall('vjp', f, args);
    const ys = asList(out);
    for (const y of ys) ctx.checkOwn('vjp', y);
    const pullback: Pullback = (cotangents) => {
      const cts = asList(cotangents);
      const pctx = traceOf('vjp pullback', cts);
      if (pctx !== ctx) throw pctx.error('vjp pullback', 'must be called inside the trace that called vjp');
      if (cts.length !== ys.length) throw ctx.error('vjp pullback', `f has ${ys.length} output(s) but ${cts.length} cotangent(s) were given`);
      return backprop(ctx, 'vjp pullback', ys, cts, args, start);
    };
    return [out, pullback];
  };
}

/**
 * hvp(f)(x, v) → H(x)·v, the Hessian of the scalar f at x times v, as the gradient of <∇f(x), v>
 * (grad of grad; the Hessian is never formed). x and v may also be equal-length lists (f then takes
 * several arguments and the result is one Tensor per argument).
 */
export function hvp(f: Fn<Tensor>): (x: OneOrMany, v: OneOrMany) => Tensor | Tensor[] {
  return (x: OneOrMany, v: OneOrMany) => {
    const xs = asList(x);
    const vs = asList(v);
    const ctx = traceOf('hvp', [...xs, ...vs]);
    if (xs.length !== vs.length) throw ctx.error('hvp', `${xs.length} point(s) but ${vs.length} direction(s)`);
    const start = nodeCount(ctx);
    const y = scalarOutput(ctx, 'hvp', f(...xs));
    const g = backprop(ctx, 'hvp', [y], [ctx.constant(1, y.type)], xs, start);
    const hv = backprop(ctx, 'hvp', g, vs, xs, start);
    return Array.isArray(x) ? hv : hv[0]!;
  };
}
