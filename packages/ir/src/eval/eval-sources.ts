// CPU eval rules for source ops (constant, iota, random_bits) and `call`, which runs a fused
// kernel's body through the interpreter loop handed in by the context.

import { elementAt } from '../invariant.js';
import { bitsToUniform, randomBitsAt, randomStreamSeed } from '../random.js';
import { convertScalar, storeConverted } from './host-tensor.js';
import { allocateResult, arg, type EvalRule } from './eval-rule.js';

export const evalConstant: EvalRule<'constant'> = (node, _operands, ctx) => {
  const out = allocateResult(node, ctx);
  const value = node.attrs.value;
  if (typeof value === 'number') out.data.fill(convertScalar(node.type.dtype, value));
  else {
    if (value.length !== out.data.length) throw new Error(`constant has ${value.length} values for ${out.data.length} elements`);
    storeConverted(out.data, node.type.dtype, value);
  }
  return out;
};

export const evalIota: EvalRule<'iota'> = (node, _operands, ctx) => {
  const out = allocateResult(node, ctx);
  const shape = node.type.shape;
  const dim = node.attrs.dim;
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= elementAt(shape, d, 'iota shape');
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= elementAt(shape, d, 'iota shape');
  const len = elementAt(shape, dim, 'iota shape');
  const o = out.data;
  let at = 0;
  for (let q = 0; q < outer; q++) for (let j = 0; j < len; j++) for (let p = 0; p < inner; p++) o[at++] = j;
  return out;
};

/** Element i is randomBitsAt(seed, key[1], i) with seed = randomStreamSeed(key[0], key[1]); f32 maps the bits to [0,1). */
export const evalRandomBits: EvalRule<'random_bits'> = (node, operands, ctx) => {
  const key = arg(operands, 0).data;
  const k0 = key[0]! >>> 0;
  const k1 = key[1]! >>> 0;
  const seed = randomStreamSeed(k0, k1);
  const out = allocateResult(node, ctx);
  const o = out.data;
  if (node.type.dtype === 'f32') for (let i = 0; i < o.length; i++) o[i] = bitsToUniform(randomBitsAt(seed, k1, i));
  else for (let i = 0; i < o.length; i++) o[i] = randomBitsAt(seed, k1, i);
  return out;
};

export const evalCall: EvalRule<'call'> = (node, operands, ctx) => {
  const kernel = ctx.kernels.get(node.attrs.callee);
  if (kernel === undefined) throw new Error(`no kernel @${node.attrs.callee}`);
  const result = ctx.runKernel(kernel, operands);
  return { type: node.type, data: result.data };
};
