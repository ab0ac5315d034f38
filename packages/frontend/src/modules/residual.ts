// Modules: Residual — shortcut(x) + body(x) (He et al.), the shortcut being x itself or a
// projection module (e.g. a bias-free Linear, or a 1×1 Conv2d) when the body changes the shape.

import { residualAdd } from '../layers/residual.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import type { Layer } from './sequential.js';

export interface ResidualModuleOptions {
  /**
   * Applied to x on the shortcut path, so it matches the body's output shape: e.g.
   * `new k.nn.Linear(inF, outF, { bias: false })`, the projection k.layers.residual learns with
   * `{ project: true }`. Always applied when given (default: the identity).
   */
  readonly project?: Layer;
}

/** x + body(x), or project(x) + body(x); the two must have the same shape. */
export class Residual extends Module {
  readonly body: Layer;
  /** The shortcut projection, when given. */
  readonly project: Layer | undefined;

  constructor(body: Layer, opts: ResidualModuleOptions = {}) {
    super();
    this.body = body;
    this.project = opts.project;
  }

  forward(x: Tensor): Tensor {
    const y = this.body.forward(x);
    const project = this.project;
    if (project === undefined)
      return residualAdd(x, y, 'Residual', (a, b) => `Residual: the body changed the shape ${a} to ${b} (pass { project } with a module mapping x to the new shape)`);
    return residualAdd(project.forward(x), y, 'Residual', (a, b) => `Residual: the projection gives ${a} but the body ${b}; they must match`);
  }
}
