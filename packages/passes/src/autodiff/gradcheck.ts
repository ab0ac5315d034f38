// Gradient checking: the symbolic gradient (gradGraph / vjpGraph run by the CPU interpreter in f64)
// against central finite differences in f64, plus a seeded dot-product test <J v, u> = <v, Jᵀ u>.

import { KilnError, Lcg32, formatType, interpret, numel, type Graph, type HostTensor, type TensorType } from '@kiln/ir';
import { gradGraph, vjpGraph } from './grad-graph.js';

export interface GradcheckOptions {
  /** A single-element f32 output. */
  readonly of: string;
  /** f32 inputs to check. */
  readonly wrt: readonly string[];
  /** Values of every graph input (row-major numbers, or a number for single-element inputs). */
  readonly inputs: Readonly<Record<string, ArrayLike<number> | number>>;
  /** Finite-difference step relative to max(1, |x_i|); default 1e-6. */
  readonly relStep?: number;
}

export interface InputCheck {
  /** max_i |symbolic_i − numeric_i| / max(max_i |symbolic_i|, max_i |numeric_i|): error relative to the gradient's scale. */
  readonly maxRelError: number;
  readonly maxAbsError: number;
  readonly symbolic: readonly number[];
  readonly numeric: readonly number[];
}

export interface GradcheckResult {
  readonly inputs: Readonly<Record<string, InputCheck>>;
  /** The worst maxRelError over the checked inputs. */
  readonly maxRelError: number;
}

/** Compares d(of)/d(wrt) from the gradient graph with central differences, all in f64. */
export function gradcheck(g: Graph, opts: GradcheckOptions): GradcheckResult {
  const relStep = opts.relStep ?? 1e-6;
  const values = materialize(g, opts.inputs);
  const symbolic = interpret(gradGraph(g, { of: opts.of, wrt: opts.wrt }), values, { precision: 'f64' });
  const f = (vals: Record<string, number[]>): number => scalarOf(interpret(g, vals, { precision: 'f64' }), opts.of);
  const inputs: Record<string, InputCheck> = {};
  let worst = 0;
  for (const name of opts.wrt) {
    const base = values[name]!;
    const numeric = base.map((xi, i) => {
      const h = relStep * Math.max(1, Math.abs(xi));
      const plus = withElement(values, name, i, xi + h);
      const minus = withElement(values, name, i, xi - h);
      return (f(plus) - f(minus)) / (xi + h - (xi - h));
    });
    const sym = Array.from(outputData(symbolic, `grad_${name}`));
    const check = compare(sym, numeric);
    inputs[name] = check;
    worst = Math.max(worst, check.maxRelError);
  }
  return { inputs, maxRelError: worst };
}

export interface DotProductOptions {
  /** f32 outputs (any shape). */
  readonly of: readonly string[];
  readonly wrt: readonly string[];
  readonly inputs: Readonly<Record<string, ArrayLike<number> | number>>;
  /** Seed of the random directions u (outputs) and v (inputs); default 1. */
  readonly seed?: number;
  /** Finite-difference step relative to max(1, max |x|); default 1e-6. */
  readonly relStep?: number;
}

export interface DotProductResult {
  /** <J v, u> with J v by central differences. */
  readonly jvpDotU: number;
  /** <v, Jᵀ u> with Jᵀ u from the symbolic pullback (vjpGraph). */
  readonly vDotVjp: number;
  readonly relError: number;
}

/** The adjoint test: random directions u, v; the VJP is right iff <J v, u> = <v, Jᵀ u>. */
export function dotProductTest(g: Graph, opts: DotProductOptions): DotProductResult {
  const relStep = opts.relStep ?? 1e-6;
  const lcg = new Lcg32(opts.seed ?? 1);
  const rand = (): number => lcg.uniform(-1, 1);
  const values = materialize(g, opts.inputs);
  const v: Record<string, number[]> = {};
  let scale = 1;
  for (const name of opts.wrt) {
    v[name] = values[name]!.map(() => rand());
    for (const x of values[name]!) scale = Math.max(scale, Math.abs(x));
  }
  const outTypes = opts.of.map((name) => outputType(g, name));
  const u = outTypes.map((t) => Array.from({ length: numel(t.shape) }, () => rand()));
  const h = relStep * scale;
  const moved = (sign: number): Record<string, number[]> => {
    const out = { ...values };
    for (const name of opts.wrt) out[name] = values[name]!.map((x, i) => x + sign * h * v[name]![i]!);
    return out;
  };
  const plus = interpret(g, moved(1), { precision: 'f64' });
  const minus = interpret(g, moved(-1), { precision: 'f64' });
  let jvpDotU = 0;
  opts.of.forEach((name, k) => {
    const p = outputData(plus, name);
    const m = outputData(minus, name);
    u[k]!.forEach((uk, i) => {
      jvpDotU += (uk * (p[i]! - m[i]!)) / (2 * h);
    });
  });
  const cts: Record<string, number[]> = {};
  opts.of.forEach((name, k) => {
    cts[`ct_${name}`] = u[k]!;
  });
  const pulled = interpret(vjpGraph(g, { of: opts.of, wrt: opts.wrt }), { ...values, ...cts }, { precision: 'f64' });
  let vDotVjp = 0;
  for (const name of opts.wrt) {
    const gx = outputData(pulled, `grad_${name}`);
    v[name]!.forEach((vi, i) => {
      vDotVjp += vi * gx[i]!;
    });
  }
  const denom = Math.max(Math.abs(jvpDotU), Math.abs(vDotVjp));
  return { jvpDotU, vDotVjp, relError: denom === 0 ? 0 : Math.abs(jvpDotU - vDotVjp) / denom };
}

function compare(sym: readonly number[], num: readonly number[]): InputCheck {
  let maxAbsError = 0;
  let scale = 0;
  sym.forEach((s, i) => {
    const n = num[i] ?? NaN;
    const diff = Math.abs(s - n);
    // NaN anywhere must fail the check, and Math.max would propagate it anyway; keep it explicit.
    maxAbsError = Number.isNaN(diff) ? NaN : Math.max(maxAbsError, diff);
    scale = Math.max(scale, Math.abs(s), Math.abs(n));
  });
  const maxRelError = Number.isNaN(maxAbsError) ? NaN : scale === 0 ? 0 : maxAbsError / scale;
  return { maxRelError, maxAbsError, symbolic: sym, numeric: num };
}

/** Every input's values as plain arrays (numbers expanded), checked against the input types. */
function materialize(g: Graph, inputs: GradcheckOptions['inputs']): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const inp of g.inputs) {
    const v = inputs[inp.name];
    if (v === undefined) throw new KilnError({ message: `gradcheck: missing input %${inp.name} (${formatType(inp.type)})`, value: `%${inp.name}` });
    const arr = typeof v === 'number' ? [v] : Array.from(v);
    if (arr.length !== numel(inp.type.shape))
      throw new KilnError({ message: `gradcheck: input %${inp.name} needs ${numel(inp.type.shape)} element(s), got ${arr.length}`, value: `%${inp.name}` });
    out[inp.name] = arr;
  }
  return out;
}

function withElement(values: Record<string, number[]>, name: string, i: number, x: number): Record<string, number[]> {
  const arr = [...values[name]!];
  arr[i] = x;
  return { ...values, [name]: arr };
}

function outputData(outs: Record<string, HostTensor>, name: string): ArrayLike<number> {
  const t = outs[name];
  if (t === undefined) throw new KilnError({ message: `gradcheck: no output ${name}` });
  return t.data;
}

function scalarOf(outs: Record<string, HostTensor>, name: string): number {
  const d = outputData(outs, name);
  if (d.length !== 1) throw new KilnError({ message: `gradcheck: output ${name} must have one element, has ${d.length}` });
  return d[0]!;
}

function outputType(g: Graph, name: string): TensorType {
  const o = g.outputs.find((x) => x.name === name && !x.updatesState);
  const t = o === undefined ? undefined : (g.nodes.find((n) => n.id === o.value)?.type ?? g.inputs.find((i) => i.id === o.value)?.type);
  if (t === undefined) throw new KilnError({ message: `gradcheck: @${g.name} has no output ${name}` });
  return t;
}
