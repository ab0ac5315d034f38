// Autodiff graph goldens: the IR of a few models' losses after backprop (gradGraph with respect
// to every trainable parameter), so a change to a VJP rule or to how gradients accumulate shows
// up as a reviewed diff. Each gradient graph must also verify. Bless changed output with `vitest -u`.

import { print, verify, type Graph } from '@kiln/ir';
import * as k from '@kiln/frontend';
import { describe, expect, it } from 'vitest';

/** The model's `loss` traced without source locations (so the text does not depend on line numbers). */
function lossGraph(fn: Parameters<typeof k.trace>[0], inputs: Parameters<typeof k.trace>[1]): Graph {
  const t = k.trace(fn, inputs, { locations: false });
  const wrt = t.params.filter((p) => p.trainable).map((p) => p.name);
  return k.gradGraph(t.graph, { of: 'loss', wrt });
}

const MODELS: Readonly<Record<string, () => Graph>> = {
  mlp: () =>
    lossGraph(
      ({ x, y }) => {
        const h = k.nn.linear(x!, 4, 8).relu();
        return { loss: k.losses.softmaxCrossEntropy(k.nn.linear(h, 8, 3), y!).mean() };
      },
      { x: k.f32([2, 4]), y: k.i32([2]) },
    ),
  conv: () =>
    lossGraph(
      ({ x, y }) => {
        const h = k.maxPool2d(k.nn.conv2d(x!, 1, 2, 3, { padding: 'same' }).relu(), 2);
        return { loss: k.losses.mse(k.nn.linear(h.reshape([1, 2 * 2 * 2]), 8, 1), y!).mean() };
      },
      { x: k.f32([1, 4, 4, 1]), y: k.f32([1, 1]) },
    ),
  'lstm-cell': () =>
    lossGraph(
      ({ x, h, c }) => {
        const s = k.layers.lstmCell(3, 2)(x!, { h: h!, c: c! });
        return { loss: s.h.square().sum().add(s.c.sum()) };
      },
      { x: k.f32([1, 3]), h: k.f32([1, 2]), c: k.f32([1, 2]) },
    ),
  attention: () => lossGraph(({ x }) => ({ loss: k.layers.multiHeadAttention(x!, { heads: 2, causal: true }).square().mean() }), { x: k.f32([1, 3, 4]) }),
};

describe('autodiff graph goldens (IR after backprop)', () => {
  it.each(Object.keys(MODELS))('%s', async (name) => {
    const g = MODELS[name]!();
    expect(verify(g)).toEqual([]);
    expect(g.outputs.filter((o) => o.name.startsWith('grad_')).length, 'one gradient output per parameter').toBeGreaterThan(1);
    await expect(print(g)).toMatchFileSnapshot(`./autodiff/${name}.kir`);
  });
});
