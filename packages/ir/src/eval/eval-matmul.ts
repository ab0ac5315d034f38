// CPU eval rule for batched matmul [...,m,k] @ [...,k,n]: an i-k-j loop over flat arrays with an
// f64 row accumulator (floats round once per element); integer products wrap like 32-bit math.

import { isInteger } from '../dtype.js';
import { elementAt } from '../invariant.js';
import { allocateResult, arg, type EvalRule } from './eval-rule.js';

export const evalMatmul: EvalRule<'matmul'> = (node, operands, ctx) => {
  const lhs = arg(operands, 0);
  const rhs = arg(operands, 1);
  const out = allocateResult(node, ctx);
  const shape = lhs.type.shape;
  const r = shape.length;
  const m = elementAt(shape, r - 2, 'lhs shape');
  const k = elementAt(shape, r - 1, 'lhs shape');
  const n = elementAt(rhs.type.shape, r - 1, 'rhs shape');
  let batch = 1;
  for (let d = 0; d < r - 2; d++) batch *= elementAt(shape, d, 'lhs shape');
  const a = lhs.data;
  const b = rhs.data;
  const o = out.data;
  const integer = isInteger(node.type.dtype);
  const acc = integer ? new Int32Array(n) : new Float64Array(n);
  for (let q = 0; q < batch; q++) {
    const aBase = q * m * k;
    const bBase = q * k * n;
    const oBase = q * m * n;
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      const aRow = aBase + i * k;
      for (let p = 0; p < k; p++) {
        const av = a[aRow + p]!;
        const bRow = bBase + p * n;
        if (integer) for (let j = 0; j < n; j++) acc[j] = acc[j]! + Math.imul(av, b[bRow + j]!);
        else for (let j = 0; j < n; j++) acc[j] = acc[j]! + av * b[bRow + j]!;
      }
      o.set(acc, oBase + i * n);
    }
  }
  return out;
};
