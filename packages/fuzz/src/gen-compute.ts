// Fuzzer generators for the anchors (reductions, matmul, conv, windows, gather/scatter) and the
// source ops (constant, iota, random_bits, call of a small elementwise kernel).

import { GraphBuilder, REDUCE_WINDOW_KINDS, elementAt, numel, type DType, type ReduceOp, type TensorType, type ValueId } from '@kiln/ir';
import { isF32, isNumeric, type GenContext } from './gen-context.js';
import type { Gen } from './gen-elementwise.js';

function numeric(c: GenContext, minRank = 0): ValueId {
  return c.value(
    (t) => isNumeric(t) && t.shape.length >= minRank,
    () => ({ dtype: c.dtype(['f32', 'f32', 'i32', 'u32']), shape: c.shape({ minRank }) }),
  );
}

function randomAxes(c: GenContext, rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => i).filter(() => c.rng.chance(0.5));
}

export function genReduce(op: ReduceOp): Gen {
  return (c) => {
    const x = numeric(c);
    return c.node(op, [x], { axes: randomAxes(c, c.typeOf(x).shape.length) });
  };
}

export function genArgReduce(op: 'argmax' | 'argmin'): Gen {
  return (c) => {
    const x = c.value(
      (t) => isNumeric(t) && t.shape.some((d) => d > 0),
      () => ({ dtype: c.dtype(['f32', 'i32', 'u32']), shape: c.shape({ minRank: 1, allowZero: false }) }),
    );
    const shape = c.typeOf(x).shape;
    const axes = shape.map((d, i) => (d > 0 ? i : -1)).filter((i) => i >= 0);
    return c.node(op, [x], { axis: c.rng.pick(axes) });
  };
}

export const genMatmul: Gen = (c) => {
  const dtype: DType = c.rng.chance(0.8) ? 'f32' : 'i32';
  const a = c.value(
    (t) => t.dtype === dtype && t.shape.length >= 2 && t.shape.length <= 3,
    () => ({ dtype, shape: c.shape({ minRank: 2, maxRank: 3 }) }),
  );
  const s = c.typeOf(a).shape;
  const r = s.length;
  const bShape = [...s.slice(0, r - 2), s[r - 1]!, c.dim()];
  return c.node('matmul', [a, c.like({ dtype, shape: bShape })], {});
};

function windowAttrs(c: GenContext, rank: number): { window: number[]; stride: number[]; padding: [number, number][] } {
  return {
    window: Array.from({ length: rank }, () => c.rng.int(1, 3)),
    stride: Array.from({ length: rank }, () => c.rng.int(1, 2)),
    padding: Array.from({ length: rank }, (): [number, number] => [c.rng.int(0, 1), c.rng.int(0, 1)]),
  };
}

export const genConv: Gen = (c) => {
  const sp = c.rng.int(1, 2);
  const x = c.value(
    (t) => isF32(t) && t.shape.length === sp + 2 && elementAt(t.shape, sp + 1, 'conv candidate shape (rank just checked)') > 0,
    () => ({ dtype: 'f32', shape: [c.rng.int(1, 2), ...Array.from({ length: sp }, () => c.rng.int(1, 5)), c.rng.pick([1, 2, 4])] }),
  );
  const channels = c.typeOf(x).shape[sp + 1]!;
  const groups = channels % 2 === 0 && c.rng.chance(0.4) ? 2 : 1;
  const out = groups * c.rng.int(1, 2);
  const kernel: TensorType = { dtype: 'f32', shape: [...Array.from({ length: sp }, () => c.rng.int(1, 3)), channels / groups, out] };
  const w = c.like(kernel);
  return c.node('conv', [x, w], {
    stride: Array.from({ length: sp }, () => c.rng.int(1, 2)),
    padding: Array.from({ length: sp }, (): [number, number] => [c.rng.int(0, 1), c.rng.int(0, 1)]),
    lhs_dilation: Array.from({ length: sp }, () => c.rng.int(1, 2)),
    rhs_dilation: Array.from({ length: sp }, () => c.rng.int(1, 2)),
    groups,
  });
};

export const genReduceWindow: Gen = (c) => {
  const x = numeric(c);
  return c.node('reduce_window', [x], { kind: c.rng.pick(REDUCE_WINDOW_KINDS), ...windowAttrs(c, c.typeOf(x).shape.length) });
};

export const genSelectAndScatterAdd: Gen = (c) => {
  const x = c.value(isF32, () => ({ dtype: 'f32', shape: c.shape() }));
  const xs = c.typeOf(x).shape;
  const attrs = windowAttrs(c, xs.length);
  const pooled = xs.map((d, i) => {
    const [lo, hi] = attrs.padding[i]!;
    const span = d + lo + hi - attrs.window[i]!;
    return span < 0 ? 0 : Math.floor(span / attrs.stride[i]!) + 1;
  });
  return c.node('select_and_scatter_add', [c.like({ dtype: 'f32', shape: pooled }), x], attrs);
};

function indices(c: GenContext, range: number): ValueId {
  const shape = Array.from({ length: c.rng.int(0, 2) }, () => c.rng.int(0, 3));
  return c.input({ dtype: c.rng.chance(0.7) ? 'i32' : 'u32', shape }, { indexRange: range });
}

export const genGather: Gen = (c) => {
  // The interpreter rejects gathering from an empty axis (there is no element to clamp to).
  const table = c.value(
    (t) => t.shape.some((d) => d > 0),
    () => ({ dtype: c.dtype(), shape: c.shape({ minRank: 1, allowZero: false }) }),
  );
  const ts = c.typeOf(table).shape;
  const axis = c.rng.pick(ts.map((d, i) => (d > 0 ? i : -1)).filter((i) => i >= 0));
  return c.node('gather', [table, indices(c, ts[axis]!)], { axis });
};

export const genScatterAdd: Gen = (c) => {
  const t = numeric(c, 1);
  const tt = c.typeOf(t);
  const axis = c.rng.int(0, tt.shape.length - 1);
  const idx = indices(c, tt.shape[axis]!);
  const updShape = [...tt.shape.slice(0, axis), ...c.typeOf(idx).shape, ...tt.shape.slice(axis + 1)];
  return c.node('scatter_add', [t, idx, c.like({ dtype: tt.dtype, shape: updShape })], { axis });
};

export const genConstant: Gen = (c) => {
  const type: TensorType = { dtype: c.dtype(), shape: c.shape() };
  const n = numel(type.shape);
  const value = c.rng.chance(0.5) ? c.constantValue(type.dtype) : Array.from({ length: n }, () => c.constantValue(type.dtype));
  return c.node('constant', [], { value }, type);
};

export const genIota: Gen = (c) => {
  const type: TensorType = { dtype: c.dtype(['f32', 'i32', 'u32']), shape: c.shape({ minRank: 1 }) };
  return c.node('iota', [], { dim: c.rng.int(0, type.shape.length - 1) }, type);
};

export const genRandomBits: Gen = (c) => {
  const reuse = c.rng.chance(0.3) ? c.pick((t) => t.dtype === 'u32' && t.shape.length === 1 && t.shape[0] === 2) : undefined;
  const key = reuse ?? c.input({ dtype: 'u32', shape: [2] }, { key: true });
  return c.node('random_bits', [key], {}, { dtype: c.rng.chance(0.5) ? 'u32' : 'f32', shape: c.shape() });
};

/** A call of a fresh kernel computing 1–3 elementwise ops on same-typed inputs. */
export const genCall: Gen = (c) => {
  const a = c.value(
    (t) => t.dtype === 'f32' || t.dtype === 'i32',
    () => ({ dtype: 'f32', shape: c.shape() }),
  );
  const t = c.typeOf(a);
  const operands = c.rng.chance(0.5) ? [a] : [a, c.like(t)];
  const callee = c.kernel((name) => {
    const kb = new GraphBuilder(name, 'kernel');
    const ins = operands.map((_, i) => kb.input(`in${i}`, t));
    let v = ins[0]!;
    const steps = c.rng.int(1, 3);
    for (let s = 0; s < steps; s++) {
      const other = c.rng.pick(ins);
      const op = c.rng.pick(['add', 'mul', 'max', 'neg', 'abs'] as const);
      v = op === 'neg' || op === 'abs' ? kb.add(op, [v], {}) : kb.add(op, [v, other], {});
    }
    kb.output(v, 'out');
    return kb.build();
  });
  return c.node('call', operands, { callee }, t);
};
