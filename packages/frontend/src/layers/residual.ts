// Layers: residual connections, x + f(x) (He et al.): the identity path keeps gradients stable in
// deep stacks. f must preserve the shape; `project` adds a learned linear map when it does not.

import { formatShape, shapesEqual } from '@kiln/ir';
import { add } from '../elementwise.js';
import { linear } from '../nn.js';
import type { Tensor } from '../tensor.js';
import { lastDim } from '../dims.js';

export interface ResidualOptions {
  /** When f changes the last dim, map x with a bias-free linear layer (scope `name`, default linear<k>) instead of failing. */
  readonly project?: boolean;
  readonly name?: string;
}

/** The error text for a shortcut of shape `a` and a branch of shape `b` (formatted shapes). */
export type ResidualMismatch = (a: string, b: string) => string;

/**
 * shortcut + y, where shortcut is x or its projection: the sum shared by k.layers.residual and
 * k.nn.Residual. Differing shapes are an error from `op` with the text `mismatch` gives.
 */
export function residualAdd(shortcut: Tensor, y: Tensor, op: string, mismatch: ResidualMismatch = (a, b) => `f changed the shape ${a} to ${b}`): Tensor {
  const ctx = shortcut.trace;
  ctx.checkOwn(op, y);
  if (!shapesEqual(shortcut.shape, y.shape)) throw ctx.error(op, mismatch(formatShape(shortcut.shape), formatShape(y.shape)), [shortcut, y]);
  return ctx.atCaller(() => add(shortcut, y));
}

/** x + f(x). */
export function residual(x: Tensor, f: (x: Tensor) => Tensor, opts: ResidualOptions = {}): Tensor {
  const ctx = x.trace;
  const y = f(x);
  ctx.checkOwn('residual', y);
  if (shapesEqual(x.shape, y.shape)) return residualAdd(x, y, 'residual');
  const sameLead = x.rank === y.rank && shapesEqual(x.shape.slice(0, -1), y.shape.slice(0, -1));
  if (opts.project === true && sameLead)
    return ctx.atCaller(() =>
      residualAdd(linear(x, lastDim(x, 'residual'), lastDim(y, 'residual'), { bias: false, ...(opts.name !== undefined ? { name: opts.name } : {}) }), y, 'residual'),
    );
  return residualAdd(x, y, 'residual', (a, b) => `f changed the shape ${a} to ${b}${sameLead ? ' (pass { project: true } to learn a projection)' : ''}`);
}
