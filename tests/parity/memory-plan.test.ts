// The WebGPU runtime lays values out as the memory plan says (one arena, reused bytes, in-place
// state updates) and still matches the interpreter. Regression: a scatter_add output placed over
// bytes an earlier kernel of the same step wrote must be zeroed just before the scatter runs.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Graph, type TensorType, type ValueId } from '@kiln/ir';
import { planMemory } from '@kiln/passes';
import { acquireDevice, harness, sample, f32, i32, type Tolerance } from './helpers.js';

const device = await acquireDevice();
const TOL: Tolerance = { rtol: 1e-5, atol: 1e-6 };

/** A graph of one-node kernels: `body` adds calls through `call(op, args, attrs)`. */
function callGraph(
  name: string,
  inputs: Record<string, TensorType>,
  body: (call: (op: string, args: ValueId[], attrs: object, type: TensorType) => ValueId, ins: Record<string, ValueId>) => ValueId,
): Graph {
  const b = new GraphBuilder(name);
  const ins: Record<string, ValueId> = {};
  for (const [n, t] of Object.entries(inputs)) ins[n] = b.input(n, t);
  let count = 0;
  const call = (op: string, args: ValueId[], attrs: object, type: TensorType): ValueId => {
    const kb = new GraphBuilder(`k${count++}_${op}`, 'kernel');
    const kargs = args.map((a, i) => kb.input(`a${i}`, b.typeOf(a)));
    kb.output(kb.add(op as never, kargs, attrs as never), 'out');
    const kernel = kb.build();
    b.addKernel(kernel);
    return b.add('call', args, { callee: kernel.name }, { type });
  };
  b.output(body(call, ins), 'out');
  return b.build();
}

describe.skipIf(device === undefined)('memory plan on WebGPU', () => {
  const h = harness(device!);

  it('scatter_add into reused arena bytes is cleared at its own step', async () => {
    const g = callGraph('reuse', { x: f32(64), base: f32(64), idx: i32(16), upd: f32(16) }, (call, { x, base, idx, upd }) => {
      const a = call('mul', [x!, x!], {}, f32(64)); // transient, dead after the sum
      const s = call('reduce_sum', [a], { axes: [0] }, f32());
      const c = call('scatter_add', [base!, idx!, upd!], { axis: 0 }, f32(64)); // may reuse a's bytes
      const sb = call('broadcast', [s], { dims: [], shape: [64] }, f32(64));
      return call('add', [c, sb], {}, f32(64));
    });
    const planned = planMemory(g).graph;
    const offset = (i: number): unknown => planned.nodes[i]!.annotations?.['offset'];
    expect(offset(2), "the scatter output reuses the square's arena bytes").toBe(offset(0));
    const inputs = { x: sample(f32(64), 1), base: sample(f32(64), 2), idx: Array.from({ length: 16 }, (_, i) => (i * 7) % 64), upd: sample(f32(16), 3) };
    await h.check(planned, inputs, TOL);
  });
});
