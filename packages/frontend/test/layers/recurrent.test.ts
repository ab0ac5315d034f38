// Recurrent layers: one step of the RNN, LSTM and GRU cells against plain-JS implementations of the
// gate equations, unrolled layers against repeated JS steps, parameter names and shapes.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { interpret } from '@kiln/runtime';
import { lcgUniforms } from '@kiln/ir';

/** Deterministic values in [-1, 1). */
function rand(n: number, seed: number): number[] {
  return lcgUniforms(n, seed);
}

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** Row-major [m, k] @ [k, n]. */
function mm(a: readonly number[], b: readonly number[], m: number, kk: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < kk; p++) out[i * n + j]! += a[i * kk + p]! * b[p * n + j]!;
  return out;
}

/** Column block [j0, j1) of a row-major [rows, cols] matrix. */
const cols = (a: readonly number[], rows: number, ncols: number, j0: number, j1: number): number[] =>
  Array.from({ length: rows * (j1 - j0) }, (_, idx) => a[Math.floor(idx / (j1 - j0)) * ncols + j0 + (idx % (j1 - j0))]!);

const B = 2;
const F = 3;
const H = 4;

function runF64(t: k.Traced, values: Record<string, readonly number[]>): Record<string, number[]> {
  const out = interpret(t.graph, values, { precision: 'f64' });
  return Object.fromEntries(Object.entries(out).map(([n, v]) => [n, Array.from(v.data)]));
}

function close(a: readonly number[] | undefined, b: readonly number[], tol = 1e-9): void {
  expect(a).toBeDefined();
  expect(a!.length).toBe(b.length);
  b.forEach((e, i) => expect(Math.abs(a![i]! - e), `[${i}] ${a![i]} vs ${e}`).toBeLessThanOrEqual(tol));
}

/** Plain-JS LSTM step: z = x·wx + h·wh + b, [i f g o] blocks. */
function jsLstm(x: number[], h: number[], c: number[], p: Record<string, number[]>): { h: number[]; c: number[] } {
  const xw = mm(x, p['wx']!, B, F, 4 * H);
  const hw = mm(h, p['wh']!, B, H, 4 * H);
  const z = xw.map((v, idx) => v + hw[idx]! + p['b']![idx % (4 * H)]!);
  const block = (q: number): number[] => cols(z, B, 4 * H, q * H, (q + 1) * H);
  const [i, f, g, o] = [block(0).map(sig), block(1).map(sig), block(2).map(Math.tanh), block(3).map(sig)];
  const c2 = c.map((cv, j) => f[j]! * cv + i[j]! * g[j]!);
  return { h: c2.map((cv, j) => o[j]! * Math.tanh(cv)), c: c2 };
}

/** Plain-JS GRU step (PyTorch): r, z, n from x·wx + b and h·wh + bh. */
function jsGru(x: number[], h: number[], p: Record<string, number[]>): number[] {
  const xp = mm(x, p['wx']!, B, F, 3 * H).map((v, idx) => v + p['b']![idx % (3 * H)]!);
  const hp = mm(h, p['wh']!, B, H, 3 * H).map((v, idx) => v + p['bh']![idx % (3 * H)]!);
  const blk = (a: number[], q: number): number[] => cols(a, B, 3 * H, q * H, (q + 1) * H);
  const r = blk(xp, 0).map((v, j) => sig(v + blk(hp, 0)[j]!));
  const z = blk(xp, 1).map((v, j) => sig(v + blk(hp, 1)[j]!));
  const n = blk(xp, 2).map((v, j) => Math.tanh(v + r[j]! * blk(hp, 2)[j]!));
  return n.map((nv, j) => (1 - z[j]!) * nv + z[j]! * h[j]!);
}

describe('recurrent cells, one step vs the gate equations', () => {
  const params = (gates: number, bh: boolean): Record<string, number[]> => ({
    wx: rand(F * gates * H, 1),
    wh: rand(H * gates * H, 2),
    b: rand(gates * H, 3),
    ...(bh ? { bh: rand(gates * H, 4) } : {}),
  });
  const x = rand(B * F, 5);
  const h0 = rand(B * H, 6);
  const c0 = rand(B * H, 7);

  it('LSTM', () => {
    const t = k.trace(
      ({ x, h, c }) => {
        const cell = k.layers.lstmCell(F, H);
        const s = cell(x, { h, c });
        return { h: s.h, c: s.c };
      },
      { x: k.f32([B, F]), h: k.f32([B, H]), c: k.f32([B, H]) },
    );
    expect(t.params.map((p) => p.name)).toEqual(['lstm0.wx', 'lstm0.wh', 'lstm0.b']);
    const p = params(4, false);
    const out = runF64(t, { x, h: h0, c: c0, 'lstm0.wx': p['wx']!, 'lstm0.wh': p['wh']!, 'lstm0.b': p['b']! });
    const want = jsLstm(x, h0, c0, p);
    close(out['h'], want.h);
    close(out['c'], want.c);
  });

  it('LSTM forget-gate bias starts at 1 (only the f block)', () => {
    const t = k.trace(({ x }) => k.layers.lstmCell(F, 2)(x, { h: k.zeros([B, 2]), c: k.zeros([B, 2]) }).h, { x: k.f32([B, F]) });
    expect(Array.from(k.initialize(t.params[2]!))).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
  });

  it('GRU', () => {
    const t = k.trace(({ x, h }) => k.layers.gruCell(F, H)(x, h), { x: k.f32([B, F]), h: k.f32([B, H]) });
    expect(t.params.map((p) => p.name)).toEqual(['gru0.wx', 'gru0.wh', 'gru0.b', 'gru0.bh']);
    const p = params(3, true);
    const out = runF64(t, { x, h: h0, 'gru0.wx': p['wx']!, 'gru0.wh': p['wh']!, 'gru0.b': p['b']!, 'gru0.bh': p['bh']! });
    close(out['out'], jsGru(x, h0, p));
  });

  it('Elman RNN with tanh and relu', () => {
    for (const activation of ['tanh', 'relu'] as const) {
      const t = k.trace(({ x, h }) => k.layers.rnnCell(F, H, { activation })(x, h), { x: k.f32([B, F]), h: k.f32([B, H]) });
      const p = params(1, false);
      const out = runF64(t, { x, h: h0, 'rnn0.wx': p['wx']!, 'rnn0.wh': p['wh']!, 'rnn0.b': p['b']! });
      const hw = mm(h0, p['wh']!, B, H, H);
      const want = mm(x, p['wx']!, B, F, H).map((v, i) => v + hw[i]! + p['b']![i % H]!);
      close(out['out'], want.map(activation === 'tanh' ? Math.tanh : (v: number) => Math.max(v, 0)));
    }
  });
});

describe('unrolled layers', () => {
  const T = 3;
  const seq = rand(B * T * F, 11);
  /** x[:, t, :] */
  const stepInput = (t: number): number[] => Array.from({ length: B * F }, (_, i) => seq[Math.floor(i / F) * T * F + t * F + (i % F)]!);
  const p = { wx: rand(F * 4 * H, 12), wh: rand(H * 4 * H, 13), b: rand(4 * H, 14) };

  for (const reverse of [false, true]) {
    it(`lstm over [B, T, F] equals T JS steps${reverse ? ' (reversed)' : ''}; outputs [B, T, H]`, () => {
      const t = k.trace(
        ({ x }) => {
          const r = k.layers.lstm(x, H, { reverse });
          return { outputs: r.outputs, h: r.state.h, c: r.state.c };
        },
        { x: k.f32([B, T, F]) },
      );
      expect(t.outputs.map((o) => `${o.name}:${o.type.shape.join('x')}`)).toEqual([`outputs:${B}x${T}x${H}`, `h:${B}x${H}`, `c:${B}x${H}`]);
      const out = runF64(t, { x: seq, 'lstm0.wx': p.wx, 'lstm0.wh': p.wh, 'lstm0.b': p.b });
      let s = { h: new Array<number>(B * H).fill(0), c: new Array<number>(B * H).fill(0) };
      const outs = new Array<number>(B * T * H).fill(0);
      for (let q = 0; q < T; q++) {
        const tt = reverse ? T - 1 - q : q;
        s = jsLstm(stepInput(tt), s.h, s.c, p);
        s.h.forEach((v, i) => (outs[Math.floor(i / H) * T * H + tt * H + (i % H)] = v));
      }
      close(out['outputs'], outs);
      close(out['h'], s.h);
      close(out['c'], s.c);
    });
  }

  it('gru and rnn layers give [B, T, H] and name their parameters', () => {
    const t = k.trace(({ x }) => ({ g: k.layers.gru(x, 5).outputs, r: k.layers.rnn(x, 6).outputs }), { x: k.f32([B, T, F]) });
    expect(t.outputs.map((o) => o.type.shape)).toEqual([
      [B, T, 5],
      [B, T, 6],
    ]);
    expect(t.params.map((q) => q.name)).toEqual(['gru0.wx', 'gru0.wh', 'gru0.b', 'gru0.bh', 'rnn0.wx', 'rnn0.wh', 'rnn0.b']);
  });

  it('gradients flow through the unrolled LSTM to every parameter', () => {
    const t = k.trace(
      ({ x }) => {
        const loss = k.layers.lstm(x, H).outputs.square().mean();
        const params = k.trainableParams();
        const gs = k.gradients(loss, params);
        return Object.fromEntries(params.map((q, i) => [`g_${k.stateName(q).replace('.', '_')}`, gs[i]!.abs().sum()]));
      },
      { x: k.f32([B, T, F]) },
    );
    const out = runF64(t, { x: seq, 'lstm0.wx': p.wx, 'lstm0.wh': p.wh, 'lstm0.b': p.b });
    for (const v of Object.values(out)) expect(v[0]).toBeGreaterThan(1e-4);
  });

  it('rejects inputs that are not [B, T, F]', () => {
    expect(() => k.trace(({ x }) => k.layers.lstm(x, 4).outputs, { x: k.f32([2, 3]) })).toThrowError(/\[batch, time, features\]/);
    expect(() => k.trace(({ x }) => k.layers.lstmCell(5, 4)(x, { h: k.zeros([2, 4]), c: k.zeros([2, 4]) }).h, { x: k.f32([2, 3]) })).toThrowError(/expects 5 input features/);
  });
});
