// MultiHeadAttention and TransformerBlock modules: parameter names (fused qkv for self-attention,
// q + kv for cross-attention), equality with k.layers given the same weights (the functional q, k, v
// weights concatenated into qkv), causal masking (output t ignores inputs after t), masks, checks.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { concatColumns, expectAllClose, interpretFunctional, parameterShapes, randTensor, runModule } from './helpers.js';

const B = 2;
const T = 4;
const D = 8;
const HEADS = 2;

/** Random weights for a functional attention scope `<scope>.{q,k,v,o}.{w,b}` and the same as module fields. */
function attentionWeights(scope: string, prefix: string, seed: number, cross = false): { functional: Record<string, k.HostTensor>; module: Record<string, k.HostTensor> } {
  const w = (i: number): k.HostTensor => randTensor([D, D], seed + i);
  const b = (i: number): k.HostTensor => randTensor([D], seed + 10 + i);
  const [qw, kw, vw, ow] = [w(0), w(1), w(2), w(3)];
  const [qb, kb, vb, ob] = [b(0), b(1), b(2), b(3)];
  const functional = {
    [`${scope}.q.w`]: qw,
    [`${scope}.q.b`]: qb,
    [`${scope}.k.w`]: kw,
    [`${scope}.k.b`]: kb,
    [`${scope}.v.w`]: vw,
    [`${scope}.v.b`]: vb,
    [`${scope}.o.w`]: ow,
    [`${scope}.o.b`]: ob,
  };
  const projections = cross
    ? { [`${prefix}q.weight`]: qw, [`${prefix}q.bias`]: qb, [`${prefix}kv.weight`]: concatColumns(D, [kw, vw]), [`${prefix}kv.bias`]: concatColumns(1, [kb, vb]) }
    : { [`${prefix}qkv.weight`]: concatColumns(D, [qw, kw, vw]), [`${prefix}qkv.bias`]: concatColumns(1, [qb, kb, vb]) };
  return { functional, module: { ...projections, [`${prefix}out.weight`]: ow, [`${prefix}out.bias`]: ob } };
}

const x = randTensor([B, T, D], 1);

describe('MultiHeadAttention', () => {
  it('self-attention holds one fused qkv projection and out; cross-attention holds q, kv and out', () => {
    expect(parameterShapes(new k.nn.MultiHeadAttention(D, HEADS))).toEqual([
      ['qkv.weight', [D, 3 * D]],
      ['qkv.bias', [3 * D]],
      ['out.weight', [D, D]],
      ['out.bias', [D]],
    ]);
    expect(parameterShapes(new k.nn.MultiHeadAttention(D, HEADS, { cross: true, contextDim: 6, bias: false }))).toEqual([
      ['q.weight', [D, D]],
      ['kv.weight', [6, 2 * D]],
      ['out.weight', [D, D]],
    ]);
    // Each D×D block of qkv starts out as a separate functional projection would (fans D, D).
    expect(new k.nn.MultiHeadAttention(D, HEADS).qkv?.weight.init).toEqual({ kind: 'glorotUniform', fans: { fanIn: D, fanOut: D } });
    expect(() => new k.nn.MultiHeadAttention(D, 3)).toThrowError(/embedDim 8 does not split into 3 heads/);
  });

  for (const causal of [false, true])
    it(`equals k.layers.multiHeadAttention with the same weights${causal ? ' (causal)' : ''}`, async () => {
      const mha = new k.nn.MultiHeadAttention(D, HEADS);
      const w = attentionWeights('mha0', '', 100);
      await mha.loadStateDict(w.module);
      const out = await runModule(({ x }: { x: k.Tensor }) => mha.forward(x, { causal }), { x });
      const ref = interpretFunctional(({ x }) => k.layers.multiHeadAttention(x!, { heads: HEADS, causal }), { x }, w.functional);
      expectAllClose(out, ref['out']!);
    });

  it('with a causal mask, output t does not depend on inputs after t (and without it, it does)', async () => {
    const causal = new k.nn.MultiHeadAttention(D, HEADS, { causal: true });
    const f = k.jit(({ x }: { x: k.Tensor }) => causal.forward(x), { backend: 'cpu' });
    const full = k.jit(({ x }: { x: k.Tensor }) => causal.forward(x, { causal: false }), { backend: 'cpu' });
    const base = await f({ x });
    const baseFull = await full({ x });
    for (let t = 0; t < T - 1; t++) {
      // Perturb every position after t in both batch rows.
      const changed = k.tensor(
        Array.from(x.data, (v, i) => (Math.floor(i / D) % T > t ? v + 3 : v)),
        [B, T, D],
      );
      const out = await f({ x: changed });
      const outFull = await full({ x: changed });
      for (let b = 0; b < B; b++) {
        const upTo = (h: k.HostTensor): number[] => Array.from(h.data.subarray(b * T * D, b * T * D + (t + 1) * D));
        expect(upTo(out), `t=${t} b=${b}`).toEqual(upTo(base));
        expect(upTo(outFull)).not.toEqual(upTo(baseFull));
      }
      // The perturbed positions themselves do change.
      expect(Array.from(out.data.subarray((t + 1) * D, T * D))).not.toEqual(Array.from(base.data.subarray((t + 1) * D, T * D)));
    }
  });

  it('a boolean mask hides keys exactly as in the functional form', async () => {
    const mha = new k.nn.MultiHeadAttention(D, HEADS);
    const w = attentionWeights('mha0', '', 200);
    await mha.loadStateDict(w.module);
    // Key padding mask [B, 1, 1, T]: batch 0 sees keys 0..2, batch 1 keys 0..1.
    const mask = k.tensor([1, 1, 1, 0, 1, 1, 0, 0], [B, 1, 1, T], 'bool');
    const out = await runModule(({ x, m }: { x: k.Tensor; m: k.Tensor }) => mha.forward(x, { mask: m }), { x, m: mask });
    const ref = interpretFunctional(({ x, m }) => k.layers.multiHeadAttention(x!, { heads: HEADS, mask: m! }), { x, m: mask }, w.functional);
    expectAllClose(out, ref['out']!);
  });

  it('cross-attention takes keys and values from the context, as the functional form', async () => {
    const mha = new k.nn.MultiHeadAttention(D, HEADS, { cross: true });
    const w = attentionWeights('mha0', '', 300, true);
    await mha.loadStateDict(w.module);
    const context = randTensor([B, 6, D], 2);
    const out = await runModule(({ x, c }: { x: k.Tensor; c: k.Tensor }) => mha.forward(x, { context: c }), { x, c: context });
    expect(out.shape).toEqual([B, T, D]);
    const ref = interpretFunctional(({ x, c }) => k.layers.multiHeadAttention(x!, { heads: HEADS, context: c! }), { x, c: context }, w.functional);
    expectAllClose(out, ref['out']!);
  });

  it('checks the input, the context and the mode', () => {
    const self = new k.nn.MultiHeadAttention(D, HEADS);
    const cross = new k.nn.MultiHeadAttention(D, HEADS, { cross: true, contextDim: 6 });
    const specs = { x: k.f32([B, T, D]), c: k.f32([B, 5, 6]) };
    expect(() => k.trace(({ x }) => self.forward(x), { x: k.f32([B, T, 6]) })).toThrowError(/MultiHeadAttention expects input \[B, T, 8\], got \[2,4,6\]/);
    expect(() => k.trace(({ x, c }) => self.forward(x, { context: c }), specs)).toThrowError(/built for self-attention: build it with \{ cross: true \}/);
    expect(() => k.trace(({ x }) => cross.forward(x), specs)).toThrowError(/built with \{ cross: true \}: forward needs \{ context \}/);
    expect(() => k.trace(({ x, c }) => cross.forward(x, { context: c }), { ...specs, c: k.f32([B, 5, 8]) })).toThrowError(/expects the context \[2, S, 6\], got \[2,5,8\]/);
    expect(k.trace(({ x, c }) => cross.forward(x, { context: c }), specs).outputs[0]!.type.shape).toEqual([B, T, D]);
  });
});

describe('TransformerBlock', () => {
  it('names ln1, attn, ln2, ff1, ff2 and equals k.layers.transformerBlock with the same weights (causal)', async () => {
    const FF = 16;
    const block = new k.nn.TransformerBlock(D, HEADS, { ffDim: FF, causal: true });
    expect(block.namedParameters().map((p) => p.name)).toEqual([
      'ln1.weight',
      'ln1.bias',
      'attn.qkv.weight',
      'attn.qkv.bias',
      'attn.out.weight',
      'attn.out.bias',
      'ln2.weight',
      'ln2.bias',
      'ff1.weight',
      'ff1.bias',
      'ff2.weight',
      'ff2.bias',
    ]);
    const att = attentionWeights('block0.attn', 'attn.', 400);
    const ln = (seed: number): [k.HostTensor, k.HostTensor] => [randTensor([D], seed), randTensor([D], seed + 1)];
    const [g1, b1] = ln(500);
    const [g2, b2] = ln(502);
    const [w1, c1, w2, c2] = [randTensor([D, FF], 504), randTensor([FF], 505), randTensor([FF, D], 506), randTensor([D], 507)];
    await block.loadStateDict({ ...att.module, 'ln1.weight': g1, 'ln1.bias': b1, 'ln2.weight': g2, 'ln2.bias': b2, 'ff1.weight': w1, 'ff1.bias': c1, 'ff2.weight': w2, 'ff2.bias': c2 });
    const out = await runModule(({ x }: { x: k.Tensor }) => block.forward(x), { x });
    const ref = interpretFunctional(
      ({ x }) => k.layers.transformerBlock(x!, { heads: HEADS, ffDim: FF, causal: true }),
      { x },
      {
        ...att.functional,
        'block0.ln1.gain': g1,
        'block0.ln1.bias': b1,
        'block0.ln2.gain': g2,
        'block0.ln2.bias': b2,
        'block0.ff1.w': w1,
        'block0.ff1.b': c1,
        'block0.ff2.w': w2,
        'block0.ff2.b': c2,
      },
    );
    expectAllClose(out, ref['out']!, 1e-4);
  });

  it('dropout acts in training mode only', async () => {
    const block = new k.nn.TransformerBlock(D, HEADS, { dropout: 0.5 });
    const f = k.jit(({ x }: { x: k.Tensor }) => block.forward(x), { backend: 'cpu' });
    const a = await f({ x });
    const b = await f({ x });
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
    block.eval();
    const c = await f({ x });
    const d = await f({ x });
    expect(Array.from(c.data)).toEqual(Array.from(d.data));
    expect(f.cacheInfo().misses).toBe(2);
  });
});
