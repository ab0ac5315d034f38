// Layers: graph convolution (Kipf & Welling): H' = Â · H · W + b with Â the normalised adjacency,
// given dense [N, N] or as weighted edges (gather the source rows, scatter_add into destinations).

import { formatShape } from '@kiln/ir';
import { add, mul } from '../elementwise.js';
import { glorotUniform, zeros } from '../init.js';
import { expandDims, gather } from '../layout.js';
import { matmul } from '../linalg.js';
import { layerScope } from '../params.js';
import type { Tensor } from '../tensor.js';
import { dimOf } from '../dims.js';

/** out[dst[e]] += weight[e] · h[src[e]]: src/dst i32 [E], weight f32 [E]. */
export interface WeightedEdges {
  readonly src: Tensor;
  readonly dst: Tensor;
  readonly weight: Tensor;
}

export interface GraphConvOptions {
  readonly bias?: boolean;
  /** Scope name (default gcn<k>). */
  readonly name?: string;
}

/** Â · x for x [N, F]. */
export function propagate(x: Tensor, adjacency: Tensor | WeightedEdges): Tensor {
  const ctx = x.trace;
  const n = dimOf(x, 0, 'graphConv');
  if ('src' in adjacency) {
    return ctx.atCaller(() => {
      const msgs = mul(gather(x, adjacency.src, 0), expandDims(adjacency.weight, -1));
      return ctx.emit('scatter_add', [ctx.constant(0, x.type), adjacency.dst, msgs], { axis: 0 });
    });
  }
  if (adjacency.rank !== 2 || adjacency.shape[0] !== n || adjacency.shape[1] !== n)
    throw ctx.error('graphConv', `adjacency must be [${n}, ${n}] for ${formatShape(x.shape)} node features`, [adjacency, x]);
  return ctx.atCaller(() => matmul(adjacency, x));
}

/** A GCN layer's weights: W [in, out] and, optionally, b [out]. */
export interface GraphConvParams {
  readonly weight: Tensor;
  readonly bias?: Tensor | undefined;
}

/** Â · (x · W) + b: the math shared by k.layers.graphConv and k.nn.GraphConv. */
export function graphConvApply(x: Tensor, adjacency: Tensor | WeightedEdges, p: GraphConvParams): Tensor {
  return x.trace.atCaller(() => {
    const h = propagate(matmul(x, p.weight), adjacency);
    return p.bias === undefined ? h : add(h, p.bias);
  });
}

/** One GCN layer on node features x [N, in]: Â · (x · W) + b, W [in, out] (Glorot), b [out] (zeros). */
export function graphConv(x: Tensor, adjacency: Tensor | WeightedEdges, inFeatures: number, outFeatures: number, opts: GraphConvOptions = {}): Tensor {
  const ctx = x.trace;
  if (x.rank !== 2 || x.shape[1] !== inFeatures) throw ctx.error('graphConv', `expects node features [N, ${inFeatures}], got ${formatShape(x.shape)}`, [x]);
  return layerScope(ctx, 'gcn', opts.name, () => {
    const weight = ctx.createState('w', { dtype: 'f32', shape: [inFeatures, outFeatures] }, glorotUniform());
    const bias = opts.bias === false ? undefined : ctx.createState('b', { dtype: 'f32', shape: [outFeatures] }, zeros());
    return graphConvApply(x, adjacency, { weight, bias });
  });
}
