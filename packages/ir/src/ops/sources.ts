// Registry entries for ops whose result type comes from the IR annotation: constant, iota,
// random_bits (counter-based, stateless), and call (invokes a fused `kernel @name`).

import { fail } from '../errors.js';
import { formatType, numel } from '../shape.js';
import { defineOp } from './def.js';
import { operand, requireAxis, requireDType, requireDeclared } from './checks.js';

export const sourceOps = {
  constant: defineOp({
    attrs: { value: 'tensor' },
    arity: 0,
    fusion: 'source',
    typeFromAnnotation: true,
    infer: (_ops, a, declared) => {
      const t = requireDeclared(declared, 'constant');
      if (typeof a.value !== 'number' && a.value.length !== numel(t.shape))
        fail(`value has ${a.value.length} elements but ${formatType(t)} needs ${numel(t.shape)} (or one scalar to fill)`);
      return t;
    },
    doc: 'A literal: a scalar fills the shape, or all elements in row-major order.',
  }),
  iota: defineOp({
    attrs: { dim: 'int' },
    arity: 0,
    fusion: 'source',
    typeFromAnnotation: true,
    infer: (_ops, a, declared) => {
      const t = requireDeclared(declared, 'iota');
      requireDType(t, 'numeric', 'result');
      requireAxis(a.dim, t.shape.length, 'dim');
      return t;
    },
    doc: 'Each element is its index along dim.',
  }),
  random_bits: defineOp({
    attrs: {},
    arity: 1,
    fusion: 'source',
    typeFromAnnotation: true,
    infer: (ops, _a, declared) => {
      const key = operand(ops, 0);
      if (key.dtype !== 'u32' || key.shape.length !== 1 || key.shape[0] !== 2) fail(`key must be u32[2], got ${formatType(key)}`);
      const t = requireDeclared(declared, 'random_bits');
      if (t.dtype !== 'u32' && t.dtype !== 'f32') fail(`result must be u32 (raw bits) or f32 (uniform in [0,1)), got ${formatType(t)}`);
      return t;
    },
    doc: 'Counter-based random numbers from a u32[2] key: u32 bits, or f32 uniform in [0,1); a pure function of key and index.',
  }),
  call: defineOp({
    attrs: { callee: 'symbol' },
    arity: 'variadic',
    fusion: 'call',
    typeFromAnnotation: true,
    // The verifier checks operands and result against the callee's signature.
    infer: (_ops, _a, declared) => requireDeclared(declared, 'call'),
    doc: 'Run the fused kernel @callee on the operands.',
  }),
};
