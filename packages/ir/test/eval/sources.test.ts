// Source ops (constant, iota, random_bits), `call` of a fused kernel, and the interpreter's
// input handling and error reporting.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, KilnError, bitsToUniform, parse, randomBitsAt, randomStreamSeed, verifyOrThrow } from '@kiln/ir';
import { evaluateNode, hostTensor, interpret, toNumberArray, zeros } from '@kiln/ir';
import { arg, bool, evalNums, f32, i32, u32 } from './helpers.js';

describe('source ops', () => {
  it('constant: a scalar fills the shape; a list is row-major', () => {
    expect(evalNums('constant', [], { value: 1.5 }, { type: f32(2, 2) })).toEqual([1.5, 1.5, 1.5, 1.5]);
    expect(evalNums('constant', [], { value: [3, -1, 7] }, { type: i32(3) })).toEqual([3, -1, 7]);
    expect(evalNums('constant', [], { value: [0, 2] }, { type: bool(2) })).toEqual([0, 1]);
    expect(evalNums('constant', [], { value: -1 }, { type: u32(1) })).toEqual([4294967295]);
  });

  it('iota: index along dim', () => {
    expect(evalNums('iota', [], { dim: 1 }, { type: i32(2, 3) })).toEqual([0, 1, 2, 0, 1, 2]);
    expect(evalNums('iota', [], { dim: 0 }, { type: f32(2, 3) })).toEqual([0, 0, 0, 1, 1, 1]);
    expect(evalNums('iota', [], { dim: 1 }, { type: u32(2, 2, 2) })).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('random_bits: u32 element i is randomBitsAt(randomStreamSeed(k0, k1), k1, i)', () => {
    const key = arg(u32(2), [12345, 678]);
    const got = evalNums('random_bits', [key], {}, { type: u32(2, 3) });
    const seed = randomStreamSeed(12345, 678);
    expect(got).toEqual([0, 1, 2, 3, 4, 5].map((i) => randomBitsAt(seed, 678, i)));
    // f32 draws are the same bits mapped to [0, 1).
    const uni = evalNums('random_bits', [key], {}, { type: f32(6) });
    expect(uni).toEqual(got.map(bitsToUniform));
  });

  it('random_bits: deterministic per key, different across keys', () => {
    const a = evalNums('random_bits', [arg(u32(2), [1, 2])], {}, { type: u32(64) });
    const b = evalNums('random_bits', [arg(u32(2), [1, 2])], {}, { type: u32(64) });
    const c = evalNums('random_bits', [arg(u32(2), [1, 3])], {}, { type: u32(64) });
    const d = evalNums('random_bits', [arg(u32(2), [2, 2])], {}, { type: u32(64) });
    expect(a).toEqual(b);
    expect(a.filter((v, i) => v === c[i]).length).toBeLessThan(2);
    expect(a.filter((v, i) => v === d[i]).length).toBeLessThan(2);
    expect(new Set(a).size).toBe(64);
  });

  it('random_bits: f32 uniform in [0,1) with mean 1/2 and variance 1/12', () => {
    const n = 20000;
    const u = evalNums('random_bits', [arg(u32(2), [7, 9])], {}, { type: f32(n) });
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = u.reduce((s, v) => s + v, 0) / n;
    const variance = u.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    // Standard error of the mean is sqrt(1/12/n) ≈ 0.002.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.005);
    // Each tenth of the interval gets about n/10 draws.
    const bins = new Array<number>(10).fill(0);
    for (const v of u) bins[Math.floor(v * 10)]!++;
    for (const c of bins) expect(Math.abs(c - n / 10)).toBeLessThan(n / 50);
  });
});

const kernelText = `
kernel @fma(%a: f32[2], %b: f32[2]) -> (r: f32[2]) {
  %p: f32[2] = mul %a, %b
  %s: f32[2] = add %p, %a
  return %s
}
graph @main(%x: f32[2], %y: f32[2]) -> (out: f32[2], twice: f32[2]) {
  %0: f32[2] = call %x, %y {callee=@fma}
  %1: f32[2] = call %0, %y {callee=@fma}
  return %0, %1
}
`;

describe('call', () => {
  it('call: runs the callee kernel body', () => {
    const g = parse(kernelText);
    verifyOrThrow(g);
    const out = interpret(g, { x: [1, 2], y: [3, 4] });
    // fma(a, b) = a·b + a: fma([1,2],[3,4]) = [4, 10]; fma([4,10],[3,4]) = [16, 50]
    expect(toNumberArray(out['out']!)).toEqual([4, 10]);
    expect(toNumberArray(out['twice']!)).toEqual([16, 50]);
  });

  it('call: evaluateNode runs a call node given the kernel map (constant folding entry point)', () => {
    const g = parse(kernelText);
    const node = g.nodes[0]!;
    const kernels = new Map(g.kernels.map((k) => [k.name, k]));
    const r = evaluateNode(node, [hostTensor(f32(2), [2, 3]), hostTensor(f32(2), [5, 1])], kernels, 'f64');
    expect(r.data).toBeInstanceOf(Float64Array);
    expect(toNumberArray(r)).toEqual([12, 6]);
  });

  it('call: a missing kernel is a KilnError naming the op', () => {
    const g = parse(kernelText);
    expect(() => evaluateNode(g.nodes[0]!, [zeros(f32(2)), zeros(f32(2))], new Map(), 'f32')).toThrow(/call: .*no kernel @fma/);
  });
});

describe('interpreter inputs and errors', () => {
  const b = new GraphBuilder('g');
  const x = b.input('x', f32(2, 2));
  const k = b.input('k', i32());
  const c = b.add('cast', [k], { dtype: 'f32' });
  const cb = b.add('broadcast', [c], { dims: [], shape: [2, 2] });
  b.output(b.add('mul', [x, cb], {}), 'y');
  const g = b.build();

  it('accepts HostTensors, number arrays and single numbers', () => {
    expect(toNumberArray(interpret(g, { x: [1, 2, 3, 4], k: 2 })['y']!)).toEqual([2, 4, 6, 8]);
    expect(toNumberArray(interpret(g, { x: hostTensor(f32(2, 2), [1, 2, 3, 4]), k: [3] })['y']!)).toEqual([3, 6, 9, 12]);
    // A Float32Array input is widened in f64 mode.
    const r = interpret(g, { x: new Float32Array([1, 2, 3, 4]), k: 1 }, { precision: 'f64' })['y']!;
    expect(r.data).toBeInstanceOf(Float64Array);
  });

  it('bool HostTensor inputs holding values other than 0/1 are normalised', () => {
    const nb = new GraphBuilder('n');
    const p = nb.input('p', bool(2));
    nb.output(nb.add('not', [p], {}), 'q');
    const raw = { type: bool(2), data: new Uint8Array([2, 0]) };
    expect(toNumberArray(interpret(nb.build(), { p: raw })['q']!)).toEqual([0, 1]);
  });

  it('a missing input is a KilnError naming it', () => {
    expect(() => interpret(g, { x: [1, 2, 3, 4] })).toThrow(KilnError);
    expect(() => interpret(g, { x: [1, 2, 3, 4] })).toThrow(/missing input %k/);
  });

  it('a wrong length or type is a KilnError naming the input', () => {
    expect(() => interpret(g, { x: [1, 2, 3], k: 1 })).toThrow(/input %x: f32\[2,2\] needs 4 element\(s\), got 3/);
    expect(() => interpret(g, { x: hostTensor(f32(4), [1, 2, 3, 4]), k: 1 })).toThrow(/input %x: expected f32\[2,2\], got f32\[4\]/);
    expect(() => interpret(g, { x: 5, k: 1 })).toThrow(/input %x/);
  });

  it('a failing node is reported with op, value and IR position', () => {
    const bad = parse(`
kernel @two(%a: f32[1]) -> (r: f32[1], s: f32[1]) {
  return %a, %a
}
graph @main(%x: f32[1]) -> (out: f32[1]) {
  %z: f32[1] = call %x {callee=@two}
  return %z
}
`);
    let err: unknown;
    try {
      interpret(bad, { x: [1] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KilnError);
    expect(String((err as KilnError).message)).toMatch(/6:3: error: call: kernel @two must have exactly one output.*\(value %z\)/);
  });

  it('hostTensor converts like a store; zeros allocates per precision', () => {
    expect(toNumberArray(hostTensor(i32(3), [1.9, -1.9, 4294967295]))).toEqual([1, -1, -1]);
    expect(toNumberArray(hostTensor(bool(2), [0, 5]))).toEqual([0, 1]);
    expect(hostTensor(f32(1), [0.1]).data[0]).toBe(Math.fround(0.1));
    expect(hostTensor(f32(1), [0.1], 'f64').data[0]).toBe(0.1);
    expect(zeros(f32(2, 3), 'f64').data).toEqual(new Float64Array(6));
    expect(() => hostTensor(f32(2), [1])).toThrow(KilnError);
  });
});
