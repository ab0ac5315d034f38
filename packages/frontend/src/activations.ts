// Frontend: activation composites — relu, leakyRelu, gelu, silu, softplus (stable), softmax and
// logSoftmax (max-shifted). Built from IR primitives, so autodiff and fusion see through them.

import { normalizeAxis } from './axes.js';
import { abs, div, erf, exp, log1p, maximum, mul, add, sigmoid, stopGradient, sub, tanh, where, gt } from './elementwise.js';
import { logsumexp, max, sum } from './reduce.js';
import type { Tensor } from './tensor.js';

export { sigmoid };

export function relu(x: Tensor): Tensor {
  return x.trace.atCaller(() => maximum(x, 0));
}

/** x for x > 0, alpha·x otherwise. */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  return x.trace.atCaller(() => (alpha >= 0 && alpha <= 1 ? maximum(x, mul(x, alpha)) : where(gt(x, 0), x, mul(x, alpha))));
}

/** x·Φ(x) with the exact erf form, or the tanh approximation when `approximate`. */
export function gelu(x: Tensor, approximate = false): Tensor {
  return x.trace.atCaller(() => {
    if (!approximate) return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
    const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  });
}

/** x·sigmoid(x) (swish). */
export function silu(x: Tensor): Tensor {
  return x.trace.atCaller(() => mul(x, sigmoid(x)));
}

/** log(1 + e^x) as max(x, 0) + log1p(e^-|x|): no overflow for large |x|. */
export function softplus(x: Tensor): Tensor {
  return x.trace.atCaller(() => add(maximum(x, 0), log1p(exp(mul(abs(x), -1)))));
}

/** exp(x - max) / sum(exp(x - max)) along `axis`. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return x.trace.atCaller(() => {
    const a = normalizeAxis(x, 'softmax', axis);
    const e = exp(sub(x, stopGradient(max(x, a, true))));
    return div(e, sum(e, a, true));
  });
}

/** x - logsumexp(x) along `axis`. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return x.trace.atCaller(() => {
    const a = normalizeAxis(x, 'logSoftmax', axis);
    return sub(x, logsumexp(x, a, true));
  });
}
