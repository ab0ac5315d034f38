// WGSL bodies for source ops: constants (scalar literal, small inline array, or the kernel's
// constant pool), iota, and random_bits with exactly the arithmetic of @kiln/ir random.ts
// (u32 wrapping multiplies, xor, shifts), so CPU and GPU draw bit-identical streams.

import { elementAt, type NodeOf } from '@kiln/ir';
import { coordOf } from '../index-math.js';
import { castExpr } from './elementwise-rules.js';
import { convertForDType, literal, storageBits, valueType } from '../wgsl-types.js';
import type { ValueEmitter, WgslRule } from './rule.js';

/** Arrays up to this length are written inline (as the fuse pass assumes); longer ones go to the constant pool. */
const INLINE_ARRAY_MAX = 16;

function constantBody(node: NodeOf<'constant'>, em: ValueEmitter): string {
  const d = node.type.dtype;
  const v = node.attrs.value;
  if (typeof v === 'number') return `  return ${literal(d, v)};`;
  const converted = v.map((x) => convertForDType(d, x));
  const first = converted[0] ?? 0; // an empty constant is never read, so any splat value will do
  if (converted.every((x) => Object.is(x, first))) return `  return ${literal(d, first)};`;
  // Non-finite entries are runtime expressions, which an array constructor accepts too.
  if (converted.length <= INLINE_ARRAY_MAX) return `  return array<${valueType(d)}, ${converted.length}>(${converted.map((x) => literal(d, x)).join(', ')})[i];`;
  const off = em.poolConstant(converted.map((x) => storageBits(d, x)));
  const word = `${em.constantPool}[${off === 0 ? 'i' : `i + ${off}u`}]`;
  switch (d) {
    case 'f32':
      return `  return bitcast<f32>(${word});`;
    case 'i32':
      return `  return bitcast<i32>(${word});`;
    case 'u32':
      return `  return ${word};`;
    case 'bool':
      return `  return ${word} != 0u;`;
    default: {
      const never: never = d;
      return never;
    }
  }
}

function randomBitsBody(node: NodeOf<'random_bits'>, em: ValueEmitter): string {
  const key = elementAt(node.operands, 0, 'random_bits operands');
  const lines = [
    `  let k0 = ${em.value(key, '0u')};`,
    `  let k1 = ${em.value(key, '1u')};`,
    '  let seed = kiln_mix32(k0 ^ kiln_mix32(k1 ^ 0x6a09e667u));',
    '  let bits = kiln_mix32(kiln_mix32(i ^ seed) + k1);',
  ];
  lines.push(node.type.dtype === 'f32' ? '  return f32(bits >> 8u) * 5.9604644775390625e-8f;' : '  return bits;');
  return lines.join('\n');
}

export const sourceRules = {
  constant: { kind: 'source', body: constantBody } as WgslRule<'constant'>,
  iota: {
    kind: 'source',
    body: (n, _em) => `  return ${castExpr('u32', n.type.dtype, coordOf(n.type.shape, n.attrs.dim, 'i'))};`,
  } as WgslRule<'iota'>,
  random_bits: { kind: 'source', body: randomBitsBody } as WgslRule<'random_bits'>,
  call: { kind: 'invalid', reason: 'a kernel body must not call other kernels' } as WgslRule<'call'>,
};
