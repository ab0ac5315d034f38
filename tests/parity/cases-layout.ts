// Parity cases for layout ops (index remappings folded into loads) and source ops: constants
// (scalar, inline array, constant pool, non-finite), iota, random_bits (bit-exact vs the CPU),
// and call (a graph already in fused form).

import { GraphBuilder } from '@kiln/ir';
import { arg, opCase, sampled, type PrimitiveCase } from './case-builder.js';
import { EXACT, bool, f32, i32, u32 } from './helpers.js';

function callCase(): PrimitiveCase {
  const kb = new GraphBuilder('k_axpy', 'kernel');
  const a = kb.input('a', f32(3, 4));
  const x = kb.input('x', f32(3, 4));
  kb.output(kb.add('add', [kb.add('mul', [a, x], {}), x], {}), 'y');
  const kernel = kb.build();
  const b = new GraphBuilder('call_fused');
  const ga = b.input('a', f32(3, 4));
  const gx = b.input('x', f32(3, 4));
  b.addKernel(kernel);
  b.output(b.add('call', [ga, gx], { callee: 'k_axpy' }, { type: f32(3, 4) }), 'out');
  return { name: 'fused_axpy', graph: b.build(), inputs: { a: sampled(f32(3, 4), 1).data, x: sampled(f32(3, 4), 2).data }, tol: { rtol: 2e-6, atol: 1e-6 } };
}

const key = (k0: number, k1: number) => arg(u32(2), [k0, k1]);

export const layoutCases = {
  reshape: [opCase('reshape', 'f32', [sampled(f32(2, 3, 4), 1)], { shape: [4, 6] }, EXACT), opCase('reshape', 'bool', [sampled(bool(6), 1)], { shape: [3, 1, 2] }, EXACT)],
  transpose: [
    opCase('transpose', 'f32_3d', [sampled(f32(2, 3, 4), 2)], { perm: [2, 0, 1] }, EXACT),
    opCase('transpose', 'i32_4d', [sampled(i32(2, 1, 3, 5), 3)], { perm: [3, 1, 0, 2] }, EXACT),
  ],
  broadcast: [
    opCase('broadcast', 'row', [sampled(f32(3), 4)], { dims: [1], shape: [2, 3] }, EXACT),
    opCase('broadcast', 'expand_ones', [sampled(i32(3, 1), 5)], { dims: [1, 2], shape: [2, 3, 4] }, EXACT),
    opCase('broadcast', 'scalar', [arg(f32(), [2.5])], { dims: [], shape: [2, 2] }, EXACT),
  ],
  slice: [
    opCase('slice', 'strided', [sampled(f32(5, 6), 6)], { start: [1, 0], limit: [5, 6], stride: [2, 3] }, EXACT),
    opCase('slice', 'u32_window', [sampled(u32(4, 4, 3), 7)], { start: [1, 2, 0], limit: [3, 4, 3], stride: [1, 1, 2] }, EXACT),
  ],
  pad: [
    opCase('pad', 'low_high_interior_crop', [sampled(f32(3, 4), 8)], { low: [1, -1], high: [2, 0], interior: [1, 0], value: 7.5 }, EXACT),
    opCase('pad', 'i32_interior', [sampled(i32(2, 3), 9)], { low: [0, 2], high: [1, -1], interior: [2, 1], value: -3 }, EXACT),
    opCase('pad', 'bool', [sampled(bool(4), 10)], { low: [1], high: [1], interior: [0], value: 1 }, EXACT),
  ],
  concat: [
    opCase('concat', 'f32_axis1', [sampled(f32(2, 3), 11), sampled(f32(2, 1), 12), sampled(f32(2, 4), 13)], { axis: 1 }, EXACT),
    opCase('concat', 'i32_axis0', [sampled(i32(1, 3), 14), sampled(i32(2, 3), 15)], { axis: 0 }, EXACT),
  ],
  constant: [
    opCase('constant', 'scalar_fill', [], { value: 1.25 }, EXACT, f32(3, 4)),
    opCase('constant', 'inline_array', [], { value: [1, -2.5, 3e-8, 4] }, EXACT, f32(2, 2)),
    opCase('constant', 'pool_i32', [], { value: Array.from({ length: 40 }, (_, i) => ((i * 7919) % 201) - 100) }, EXACT, i32(5, 8)),
    opCase('constant', 'nonfinite', [], { value: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 1] }, EXACT, f32(4)),
    opCase('constant', 'bool_array', [], { value: [1, 0, 0, 1, 1] }, EXACT, bool(5)),
    opCase('constant', 'scalar_inf', [], { value: Number.NEGATIVE_INFINITY }, EXACT, f32(3)),
  ],
  iota: [
    opCase('iota', 'f32_dim1', [], { dim: 1 }, EXACT, f32(3, 4)),
    opCase('iota', 'i32_dim0', [], { dim: 0 }, EXACT, i32(5, 2)),
    opCase('iota', 'u32_1d', [], { dim: 0 }, EXACT, u32(7)),
  ],
  random_bits: [
    opCase('random_bits', 'u32', [key(12345, 678)], {}, EXACT, u32(40, 25)),
    opCase('random_bits', 'f32', [key(4294967295, 0)], {}, EXACT, f32(1000)),
    opCase('random_bits', 'u32_zero_key', [key(0, 0)], {}, EXACT, u32(3, 7)),
  ],
  call: [callCase()],
};
