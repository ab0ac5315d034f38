// Layers: residual connections, x + f(x) (He et al.): the identity path keeps gradients stable in
// deep stacks. f must preserve the shape; `project` adds a learned linear map when it does not.

import { formatShape, shapesEqual } from '@kiln/ir';
import { add } from '../elementwise.js';
import { linear } from '../nn.js';
import type { Tensor } from '../tensor.js';

export interface ResidualOptions {
  /** When f changes the last dim, map x with a bias-free linear layer (scope `name`, default linear<k>) instead of failing. */
  readonly project?: boolean;
  readonly name?: string;
}

/** x + f(x). */
export function residual(x: Tensor, f: (x: Tensor) => Tensor, opts: ResidualOptions = {}): Tensor {
  const ctx = x.trace;
  const y = f(x);
  ctx.checkOwn('residual', y);
  if (shapesEqual(x.shape, y.shape)) return ctx.atCaller(() => add(x, y));
  const sameLead = x.rank === y.rank && shapesEqual(x.shape.slice(0, -1), y.shape.slice(0, -1));
  if (opts.project === true && sameLead)
    return ctx.atCaller(() => add(linear(x, x.shape[x.rank - 1] ?? 0, y.shape[y.rank - 1] ?? 0, { bias: false, ...(opts.name !== undefined ? { name: opts.name } : {}) }), y));
  throw ctx.error('residual', `f changed the shape ${formatShape(x.shape)} to ${formatShape(y.shape)}${sameLead ? ' (pass { project: true } to learn a projection)' : ''}`, [x, y]);
}
