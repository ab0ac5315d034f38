// Modules: GraphConv — one Kipf & Welling GCN layer, Â · (x · weight) + bias, with the adjacency Â
// given per call as a dense [N, N] matrix or as weighted edges (k.layers.graphConv's math).

import { glorotUniform, zeros, type Initializer } from '../init.js';
import { graphConvApply, type WeightedEdges } from '../layers/graph-conv.js';
import type { Tensor } from '../tensor.js';
import { Parameter } from '../variable.js';
import { expectShape, requireSize } from './checks.js';
import { Module } from './module.js';

export interface GraphConvModuleOptions {
  /** Learn a bias [outFeatures] (default true). */
  readonly bias?: boolean;
  /** Weight initializer (default Glorot uniform, as the functional form). */
  readonly weightInit?: Initializer;
}

/** Node features x [N, inFeatures] → [N, outFeatures], mixing neighbours through the (normalised) adjacency. */
export class GraphConv extends Module {
  /** [inFeatures, outFeatures] */
  readonly weight: Parameter;
  /** [outFeatures], absent with `bias: false`. */
  readonly bias: Parameter | undefined;

  constructor(
    /** Features per node of the input. */
    readonly inFeatures: number,
    /** Features per node of the output. */
    readonly outFeatures: number,
    opts: GraphConvModuleOptions = {},
  ) {
    super();
    requireSize('GraphConv', 'inFeatures', inFeatures);
    requireSize('GraphConv', 'outFeatures', outFeatures);
    this.weight = new Parameter([inFeatures, outFeatures], opts.weightInit ?? glorotUniform(), { label: 'weight' });
    this.bias = opts.bias === false ? undefined : new Parameter([outFeatures], zeros(), { label: 'bias' });
  }

  /** `adjacency`: dense Â [N, N] (already normalised), or edges {src, dst: i32 [E], weight: f32 [E]} summed into dst. */
  forward(x: Tensor, adjacency: Tensor | WeightedEdges): Tensor {
    expectShape(x, 'GraphConv', ['N', this.inFeatures], 'node features');
    return x.trace.atCaller(() => graphConvApply(x, adjacency, { weight: this.weight, bias: this.bias }));
  }
}
