// Composing modules: Sequential index names, arrays of modules (blocks.1.attn…) as checkpoint and
// IR state names, Residual (identity and projected shortcut), GraphConv (dense and edge list),
// sinusoidal positions, source lines on every node, and freeze(): an optimizer step leaves a
// frozen layer's weights alone.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KilnError } from '@kiln/ir';
import * as k from '@kiln/frontend';
import { lineOf } from '../helpers.js';
import { expectAllClose, interpretFunctional, parameterShapes, randTensor, runModule } from './helpers.js';

describe('naming', () => {
  it('Sequential names children by index (the ReLU at 1 has no parameters)', () => {
    const seq = new k.nn.Sequential(new k.nn.Linear(2, 3), new k.nn.ReLU(), new k.nn.Linear(3, 1));
    expect(parameterShapes(seq)).toEqual([
      ['0.weight', [2, 3]],
      ['0.bias', [3]],
      ['2.weight', [3, 1]],
      ['2.bias', [1]],
    ]);
  });

  class TinyLM extends k.nn.Module {
    readonly embed = new k.nn.Embedding(10, 8);
    readonly pos = new k.nn.SinusoidalPositionalEncoding(8);
    readonly blocks = [new k.nn.TransformerBlock(8, 2, { ffDim: 16, causal: true }), new k.nn.TransformerBlock(8, 2, { ffDim: 16, causal: true })];
    readonly norm = new k.nn.LayerNorm(8);
    readonly head = new k.nn.Linear(8, 10);
    forward(ids: k.Tensor): k.Tensor {
      let h = this.pos.forward(this.embed.forward(ids));
      for (const block of this.blocks) h = block.forward(h);
      return this.head.forward(this.norm.forward(h));
    }
  }

  it('arrays of modules are named by field and index, in checkpoints and in the traced graph', async () => {
    const lm = new TinyLM();
    const names = lm.namedParameters().map((p) => p.name);
    expect(names).toContain('blocks.1.attn.qkv.weight');
    expect(names.filter((n) => n.startsWith('blocks.0.'))).toEqual([
      'blocks.0.ln1.weight',
      'blocks.0.ln1.bias',
      'blocks.0.attn.qkv.weight',
      'blocks.0.attn.qkv.bias',
      'blocks.0.attn.out.weight',
      'blocks.0.attn.out.bias',
      'blocks.0.ln2.weight',
      'blocks.0.ln2.bias',
      'blocks.0.ff1.weight',
      'blocks.0.ff1.bias',
      'blocks.0.ff2.weight',
      'blocks.0.ff2.bias',
    ]);
    expect(names.slice(0, 1)).toEqual(['embed.weight']);
    expect(names.slice(-4)).toEqual(['norm.weight', 'norm.bias', 'head.weight', 'head.bias']);
    const f = k.jit(({ ids }: { ids: k.Tensor }) => lm.forward(ids), { backend: 'cpu' });
    const logits = await f({ ids: k.tensor([[1, 2, 3]], [1, 3], 'i32') });
    expect(logits.shape).toEqual([1, 3, 10]);
    expect(f.lastCompiled?.traced.params.map((p) => p.name).sort()).toEqual([...names].sort());
    expect(Object.keys(await lm.stateDict())).toEqual(names);
  });
});

describe('Residual', () => {
  it('x + body(x) with the identity shortcut', async () => {
    const body = new k.nn.Linear(4, 4);
    const res = new k.nn.Residual(body);
    expect(res.namedParameters().map((p) => p.name)).toEqual(['body.weight', 'body.bias']);
    const x = randTensor([3, 4], 1);
    const out = await runModule(({ x }: { x: k.Tensor }) => res.forward(x), { x });
    const y = await runModule(({ x }: { x: k.Tensor }) => body.forward(x), { x });
    expectAllClose(
      out,
      k.tensor(
        Array.from(y.data, (v, i) => v + x.data[i]!),
        [3, 4],
      ),
    );
    const widen = new k.nn.Residual(new k.nn.Linear(4, 6));
    expect(() => k.trace(({ x }) => widen.forward(x), { x: k.f32([3, 4]) })).toThrowError(/Residual: the body changed the shape \[3,4\] to \[3,6\] \(pass \{ project \}/);
  });

  it('a projected shortcut equals k.layers.residual with { project: true }', async () => {
    const res = new k.nn.Residual(new k.nn.Linear(3, 5), { project: new k.nn.Linear(3, 5, { bias: false }) });
    expect(parameterShapes(res)).toEqual([
      ['body.weight', [3, 5]],
      ['body.bias', [5]],
      ['project.weight', [3, 5]],
    ]);
    const [w, b, p] = [randTensor([3, 5], 2), randTensor([5], 3), randTensor([3, 5], 4)];
    await res.loadStateDict({ 'body.weight': w, 'body.bias': b, 'project.weight': p });
    const x = randTensor([2, 3], 5);
    const out = await runModule(({ x }: { x: k.Tensor }) => res.forward(x), { x });
    const ref = interpretFunctional(
      ({ x }) => k.layers.residual(x!, (h) => k.nn.linear(h, 3, 5), { project: true, name: 'skip' }),
      { x },
      { 'linear0.w': w, 'linear0.b': b, 'skip.w': p },
    );
    expectAllClose(out, ref['out']!);
  });
});

describe('GraphConv', () => {
  it('equals k.layers.graphConv with the same weights, for a dense adjacency and the same graph as weighted edges', async () => {
    const gcn = new k.nn.GraphConv(3, 2);
    expect(parameterShapes(gcn)).toEqual([
      ['weight', [3, 2]],
      ['bias', [2]],
    ]);
    const [w, b] = [randTensor([3, 2], 6), randTensor([2], 7)];
    await gcn.loadStateDict({ weight: w, bias: b });
    const x = randTensor([4, 3], 8);
    const adj = k.tensor([0.5, 0.5, 0, 0, 0.3, 0.4, 0.3, 0, 0, 0.5, 0.5, 0, 0, 0, 0.5, 0.5], [4, 4]);
    const dense = await runModule(({ x, a }: { x: k.Tensor; a: k.Tensor }) => gcn.forward(x, a), { x, a: adj });
    const ref = interpretFunctional(({ x, a }) => k.layers.graphConv(x!, a!, 3, 2), { x, a: adj }, { 'gcn0.w': w, 'gcn0.b': b });
    expectAllClose(dense, ref['out']!);
    // The nonzeros of adj as edges dst ← src with their weights.
    const src: number[] = [];
    const dst: number[] = [];
    const wt: number[] = [];
    adj.data.forEach((v, i) => {
      if (v === 0) return;
      dst.push(Math.floor(i / 4));
      src.push(i % 4);
      wt.push(v);
    });
    const edges = { src: k.tensor(src, [src.length], 'i32'), dst: k.tensor(dst, [dst.length], 'i32'), ew: k.tensor(wt, [wt.length]) };
    const viaEdges = await runModule(({ x, src, dst, ew }: { x: k.Tensor; src: k.Tensor; dst: k.Tensor; ew: k.Tensor }) => gcn.forward(x, { src, dst, weight: ew }), { x, ...edges });
    expectAllClose(viaEdges, dense);
    expect(() => k.trace(({ x, a }) => gcn.forward(x, a), { x: k.f32([4, 2]), a: k.f32([4, 4]) })).toThrowError(/GraphConv expects node features \[N, 3\], got \[4,2\]/);
  });
});

describe('SinusoidalPositionalEncoding', () => {
  it('adds the sinusoidal table for the input length', async () => {
    const x = randTensor([2, 5, 6], 9);
    const out = await runModule(({ x }: { x: k.Tensor }) => new k.nn.SinusoidalPositionalEncoding(6).forward(x), { x });
    const table = k.layers.sinusoidalTable(5, 6);
    expectAllClose(
      out,
      k.tensor(
        Array.from(x.data, (v, i) => v + table[i % 30]!),
        [2, 5, 6],
      ),
    );
  });
});

describe('freeze', () => {
  class TwoLayer extends k.nn.Module {
    readonly encoder = new k.nn.Linear(3, 4);
    readonly head = new k.nn.Linear(4, 2);
    forward(x: k.Tensor): k.Tensor {
      return this.head.forward(k.nn.relu(this.encoder.forward(x)));
    }
  }

  it('an optimizer step leaves a frozen Linear unchanged and updates the other layer; unfreeze recompiles and trains it', async () => {
    const model = new TwoLayer();
    model.encoder.freeze();
    expect(model.namedParameters().map((p) => `${p.name}:${p.trainable}`)).toEqual(['encoder.weight:false', 'encoder.bias:false', 'head.weight:true', 'head.bias:true']);
    const opt = k.optim.sgd({ lr: 0.1 });
    const step = k.jit(
      ({ x, y }: { x: k.Tensor; y: k.Tensor }) => {
        const loss = k.mean(k.square(k.sub(model.forward(x), y)));
        return { loss, updates: opt.minimize(loss) };
      },
      { backend: 'cpu' },
    );
    const batch = { x: randTensor([8, 3], 10), y: randTensor([8, 2], 11) };
    const before = await model.stateDict();
    await step(batch);
    const after = await model.stateDict();
    const same = (n: string): boolean => Array.from(before[n]!.data).every((v, i) => v === after[n]!.data[i]);
    expect(same('encoder.weight')).toBe(true);
    expect(same('encoder.bias')).toBe(true);
    expect(same('head.weight')).toBe(false);
    expect(same('head.bias')).toBe(false);
    model.unfreeze();
    await step(batch);
    expect(step.cacheInfo().misses).toBe(2);
    const later = await model.stateDict();
    expect(Array.from(later['encoder.weight']!.data)).not.toEqual(Array.from(after['encoder.weight']!.data));
  });
});

describe('source locations', () => {
  const SOURCE = readFileSync(fileURLToPath(import.meta.url), 'utf8');

  it('every node a layer emits carries the line that called its forward, and shape errors name it', () => {
    const conv = new k.nn.Conv2d(3, 4, 3, { padding: 'same' });
    const bn = new k.nn.BatchNorm(4);
    const lstm = new k.nn.LSTM(4, 5);
    const block = new k.nn.TransformerBlock(8, 2, { dropout: 0.1 });
    const cases: [string, () => k.Traced][] = [
      ['conv', () => k.trace(({ x }) => conv.forward(x), { x: k.f32([1, 4, 4, 3]) })], // MARK-conv
      ['bn', () => k.trace(({ x }) => bn.forward(x), { x: k.f32([2, 4, 4, 4]) })], // MARK-bn
      ['lstm', () => k.trace(({ x }) => lstm.forward(x).outputs, { x: k.f32([2, 3, 4]) })], // MARK-lstm
      ['block', () => k.trace(({ x }) => block.forward(x), { x: k.f32([1, 3, 8]) })], // MARK-block
    ];
    for (const [mark, run] of cases) {
      const t = run();
      const line = lineOf(SOURCE, `MARK-${mark}`);
      expect(t.graph.nodes.length).toBeGreaterThan(0);
      for (const n of t.graph.nodes) expect(n.loc, `${mark}: ${n.op}`).toMatchObject({ line });
    }
    const err = (() => {
      try {
        k.trace(({ x }) => conv.forward(x), { x: k.f32([1, 4, 4, 2]) }); // MARK-conv-error
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(KilnError);
    expect(String(err)).toContain(`composition.test.ts:${lineOf(SOURCE, 'MARK-conv' + '-error')}:`);
  });
});
