// Modules: Sequential — layers applied in order; children are named by index (0.weight, 1.bias),
// as in PyTorch, plus Lambda for a parameter-free function as a layer.

import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { Module } from './module.js';

/** A module that maps one tensor to one tensor: what Sequential chains. */
export interface Layer extends Module {
  forward(x: Tensor): Tensor;
}

export class Sequential extends Module {
  readonly layers: readonly Layer[];

  constructor(...layers: Layer[]) {
    super();
    this.layers = layers;
  }

  protected override *namedChildren(): Iterable<readonly [string, Module | Variable]> {
    for (let i = 0; i < this.layers.length; i++) yield [String(i), this.layers[i]!];
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h;
  }
}

/** A parameter-free function as a layer (activations, reshapes) for Sequential. */
export class Lambda extends Module {
  constructor(
    private readonly fn: (x: Tensor) => Tensor,
    /** Shown by summary() instead of 'Lambda'. */
    readonly label = 'Lambda',
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}
