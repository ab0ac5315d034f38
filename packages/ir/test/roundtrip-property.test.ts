// Property test: random graphs built with GraphBuilder from a seeded RNG (elementwise, layout,
// reduction, cast and constant ops, with names, annotations and state) must verify and round-trip
// through the printer and parser exactly. A failure names the seed that reproduces it.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, Mulberry32, elementAt, formatDiagnostic, parse, print, verify, type DType, type Graph, type OpKind, type TensorType, type ValueId } from '../src/index.js';

/** mulberry32 (the IR's host PRNG module), as a [0, 1) stream. */
function rng(seed: number): () => number {
  const m = new Mulberry32(seed);
  return () => m.float();
}

class Gen {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = rng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(xs: readonly T[]): T {
    const x = xs[this.int(0, xs.length - 1)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
  shape(): number[] {
    return Array.from({ length: this.int(0, 3) }, () => (this.chance(0.05) ? 0 : this.int(1, 4)));
  }
}

const FLOAT_UNARY: readonly OpKind[] = [
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'rsqrt',
  'sin',
  'cos',
  'tanh',
  'logistic',
  'erf',
  'floor',
  'ceil',
  'round',
  'neg',
  'abs',
  'sign',
  'stop_gradient',
];
const NUMERIC_BINARY: readonly OpKind[] = ['add', 'sub', 'mul', 'div', 'max', 'min'];
const COMPARE: readonly OpKind[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];
/** Whether a constant of `dtype` may hold x (the verifier rejects out-of-range or fractional integer constants). */
function fitsDType(x: number, dtype: DType): boolean {
  if (dtype === 'f32') return true;
  if (!Number.isInteger(x)) return false;
  return dtype === 'bool' ? x === 0 || x === 1 : dtype === 'u32' ? x >= 0 && x <= 2 ** 32 - 1 : x >= -(2 ** 31) && x <= 2 ** 31 - 1;
}

const SPECIAL_NUMBERS = [0, -0, 1, -1.5, 0.1, 1e-30, 3.4028234663852886e38, NaN, Infinity, -Infinity, 2 ** -149];
const NAMES = ['h', 'x', 'tmp', 'a.b', 'h_2', 'layer1.out', '_', '0', 'a-b', 'inf'];

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function randomGraph(seed: number): Graph {
  const g = new Gen(seed);
  const b = new GraphBuilder(`g${seed}`);
  const values: ValueId[] = [];
  const nInputs = g.int(1, 3);
  for (let i = 0; i < nInputs; i++) values.push(b.input(i === 0 ? 'x' : `in${i}`, { dtype: g.chance(0.8) ? 'f32' : 'i32', shape: g.shape() }));
  const stateType: TensorType = { dtype: 'f32', shape: g.shape() };
  const state = b.input('w', stateType, { state: true, ...(g.chance(0.3) ? { annotations: { buf: g.int(0, 9) } } : {}) });
  values.push(state);

  const typeOf = (v: ValueId): TensorType => b.typeOf(v);
  const opts = () => ({
    ...(g.chance(0.3) ? { name: g.pick(NAMES) } : {}),
    ...(g.chance(0.1) ? { annotations: { buf: g.int(0, 5), offset: 256 * g.int(0, 8) } } : {}),
    ...(g.chance(0.2) ? { loc: { file: 'model.ts', line: g.int(1, 300) } } : {}),
  });
  const ofDType = (pred: (d: DType) => boolean): ValueId[] => values.filter((v) => pred(typeOf(v).dtype));
  /** A second value with the same type as v: an existing one, or a fresh constant. */
  const partner = (v: ValueId): ValueId => {
    const t = typeOf(v);
    const same = values.filter((u) => typeOf(u).dtype === t.dtype && typeOf(u).shape.join() === t.shape.join());
    if (same.length > 1 && g.chance(0.7)) return g.pick(same);
    const value = t.dtype === 'f32' ? g.pick(SPECIAL_NUMBERS) : t.dtype === 'bool' ? g.int(0, 1) : g.int(t.dtype === 'u32' ? 0 : -3, 3);
    return b.add('constant', [], { value }, { type: t });
  };

  const steps = g.int(3, 25);
  for (let s = 0; s < steps; s++) {
    const v = g.pick(values);
    const t = typeOf(v);
    const r = t.shape.length;
    let out: ValueId;
    switch (g.int(0, 11)) {
      case 0: {
        const f = ofDType((d) => d === 'f32');
        out = f.length > 0 ? b.add(g.pick(FLOAT_UNARY), [g.pick(f)], {}, opts()) : b.add('neg', [v], {}, opts());
        break;
      }
      case 1:
        out = t.dtype === 'bool' ? b.add('or', [v, partner(v)], {}, opts()) : b.add(g.pick(NUMERIC_BINARY), [v, partner(v)], {}, opts());
        break;
      case 2: {
        if (t.dtype === 'bool') {
          out = b.add('not', [v], {}, opts());
          break;
        }
        const p = b.add(g.pick(COMPARE), [v, partner(v)], {}, opts());
        out = b.add('select', [p, v, partner(v)], {}, opts());
        break;
      }
      case 3: {
        // Reshape to the same elements with dims shuffled and 1s inserted.
        const dims = g.shuffle(t.shape);
        while (g.chance(0.3)) dims.splice(g.int(0, dims.length), 0, 1);
        out = b.add('reshape', [v], { shape: dims }, opts());
        break;
      }
      case 4:
        out = b.add('transpose', [v], { perm: g.shuffle(Array.from({ length: r }, (_, i) => i)) }, opts());
        break;
      case 5: {
        const extra = g.int(0, 2);
        const rank = r + extra;
        const dims = g
          .shuffle(Array.from({ length: rank }, (_, i) => i))
          .slice(0, r)
          .sort((x, y) => x - y);
        const shape = Array.from({ length: rank }, () => g.int(1, 3));
        dims.forEach((d, i) => {
          const size = elementAt(t.shape, i, 'broadcast operand shape');
          shape[d] = size === 1 && g.chance(0.5) ? g.int(1, 3) : size;
        });
        out = b.add('broadcast', [v], { dims, shape }, opts());
        break;
      }
      case 6: {
        const start = t.shape.map((d) => g.int(0, d));
        const limit = t.shape.map((d, i) => g.int(elementAt(start, i, 'slice start'), d));
        out = b.add('slice', [v], { start, limit, stride: t.shape.map(() => g.int(1, 3)) }, opts());
        break;
      }
      case 7: {
        const interior = t.shape.map(() => g.int(0, 2));
        const low = t.shape.map(() => g.int(-1, 2));
        const high = t.shape.map((d, i) => {
          const grown = d + Math.max(d - 1, 0) * elementAt(interior, i, 'pad interior') + elementAt(low, i, 'pad low');
          return Math.max(g.int(-1, 2), -grown);
        });
        out = b.add('pad', [v], { low, high, interior, value: g.pick(SPECIAL_NUMBERS) }, opts());
        break;
      }
      case 8: {
        if (r === 0) {
          const one = b.add('reshape', [v], { shape: [1] });
          out = b.add('concat', [one, one], { axis: 0 }, opts());
          break;
        }
        const axis = g.int(0, r - 1);
        const cut = b.add('slice', [v], { start: t.shape.map(() => 0), limit: [...t.shape], stride: t.shape.map((_, i) => (i === axis ? 2 : 1)) });
        out = b.add('concat', g.shuffle([v, cut, v]), { axis }, opts());
        break;
      }
      case 9: {
        if (t.dtype === 'bool') {
          out = b.add('cast', [v], { dtype: 'f32' }, opts());
          break;
        }
        const axes = Array.from({ length: r }, (_, i) => i).filter(() => g.chance(0.5));
        out = b.add(g.pick(['reduce_sum', 'reduce_max', 'reduce_min'] as const), [v], { axes }, opts());
        break;
      }
      case 10:
        out = b.add('cast', [v], { dtype: g.pick(['f32', 'i32', 'u32', 'bool'] as const) }, opts());
        break;
      default: {
        const shape = g.shape();
        const dtype = g.pick(['f32', 'i32', 'u32'] as const);
        const n = numel(shape);
        const value =
          g.chance(0.5) || n > 16
            ? g.pick(SPECIAL_NUMBERS.filter((x) => fitsDType(x, dtype)))
            : Array.from({ length: n }, () => (dtype === 'f32' ? g.pick(SPECIAL_NUMBERS) : g.int(0, 9)));
        out = b.add('constant', [], { value }, { type: { dtype, shape }, ...opts() });
        break;
      }
    }
    values.push(out);
  }

  const nodesOnly = values.slice(nInputs + 1);
  const outs = g.shuffle(nodesOnly).slice(0, g.int(1, 3));
  outs.forEach((v, i) => b.output(v, `out${i}`));
  const sameAsState = nodesOnly.filter((v) => typeOf(v).dtype === 'f32' && typeOf(v).shape.join() === stateType.shape.join());
  if (sameAsState.length > 0 && g.chance(0.7)) b.output(g.pick(sameAsState), 'w', true);
  return b.build();
}

describe('random graphs round-trip through print and parse', () => {
  const SEEDS = Array.from({ length: 300 }, (_, i) => 1000 + i);

  it('builds, verifies and round-trips 300 seeded graphs', () => {
    let nodes = 0;
    for (const seed of SEEDS) {
      let g: Graph;
      try {
        g = randomGraph(seed);
      } catch (e) {
        throw new Error(`seed ${seed}: building the random graph failed: ${String(e)}`);
      }
      nodes += g.nodes.length;
      expect(verify(g).map(formatDiagnostic), `seed ${seed}: verify(g)`).toEqual([]);
      const text = print(g);
      let back: Graph;
      try {
        back = parse(text, `seed${seed}.kir`);
      } catch (e) {
        throw new Error(`seed ${seed}: parse(print(g)) failed: ${String(e)}\n${text}`);
      }
      expect(print(back), `seed ${seed}: print(parse(print(g))) !== print(g)`).toBe(text);
      expect(verify(back).map(formatDiagnostic), `seed ${seed}: verify(parse(print(g)))`).toEqual([]);
      expect(
        back.nodes.map((n) => [n.op, n.type]),
        `seed ${seed}: ops or types changed`,
      ).toEqual(g.nodes.map((n) => [n.op, n.type]));
      expect(print(parse(print(g, { locations: true }))), `seed ${seed}: locations`).toBe(text);
    }
    // Guard against a generator that degenerates into trivial graphs.
    expect(nodes).toBeGreaterThan(SEEDS.length * 8);
  });
});
