// An executable check of a memory plan, independent of the planner's own rules: run the graph
// node by node with every value stored at its planned buffer and offset in real byte buffers,
// and read the outputs at the end. A value overwritten while still needed shows up as a wrong
// output. (Hazards inside one kernel are not modelled: each node computes, then stores.)

import { KilnError, dtypeBytes, numel, type Graph, type TensorType, type ValueId } from '@kiln/ir';
import { evaluateNode, hostTensor, isHostTensor, type HostInput, type HostTensor } from '@kiln/ir';
import { ARENA_BUFFER, arenaSize } from './plan-memory.js';

function view(buffer: ArrayBuffer, offset: number, t: TensorType): Float32Array | Int32Array | Uint32Array {
  const n = numel(t.shape);
  switch (t.dtype) {
    case 'f32':
      return new Float32Array(buffer, offset, n);
    case 'i32':
      return new Int32Array(buffer, offset, n);
    case 'u32':
    case 'bool':
      return new Uint32Array(buffer, offset, n);
    default: {
      const never: never = t.dtype;
      return never;
    }
  }
}

/** Outputs of `g` (planned by plan-memory) computed through its buffers, keyed like `interpret`. */
export function runPlanned(g: Graph, inputs: Readonly<Record<string, HostInput>>): Record<string, HostTensor> {
  const kernels = new Map(g.kernels.map((k) => [k.name, k] as const));
  const buffers = new Map<number, ArrayBuffer>([[ARENA_BUFFER, new ArrayBuffer(arenaSize(g))]]);
  const where = new Map<ValueId, { buf: number; offset: number; type: TensorType }>();
  const bufferFor = (buf: number, bytes: number): ArrayBuffer => {
    let b = buffers.get(buf);
    if (b === undefined || b.byteLength < bytes) {
      b = new ArrayBuffer(Math.max(bytes, b?.byteLength ?? 0));
      buffers.set(buf, b);
    }
    return b;
  };
  const store = (v: ValueId, t: HostTensor, buf: number, offset: number): void => {
    const bytes = numel(t.type.shape) * dtypeBytes(t.type.dtype);
    view(bufferFor(buf, offset + bytes), offset, t.type).set(t.data);
    where.set(v, { buf, offset, type: t.type });
  };
  const load = (v: ValueId): HostTensor => {
    const w = where.get(v);
    if (w === undefined) throw new KilnError({ message: `runPlanned: value #${v} has no planned location` });
    return hostTensor(w.type, view(buffers.get(w.buf)!, w.offset, w.type));
  };
  for (const inp of g.inputs) {
    const value = inputs[inp.name];
    const buf = inp.annotations?.buf;
    if (value === undefined || buf === undefined) throw new KilnError({ message: `runPlanned: input %${inp.name} has no value or no buffer` });
    const data: ArrayLike<number> = typeof value === 'number' ? [value] : isHostTensor(value) ? value.data : value;
    store(inp.id, hostTensor(inp.type, data), buf, 0);
  }
  for (const n of g.nodes) {
    const a = n.annotations;
    if (a?.buf === undefined) throw new KilnError({ message: `runPlanned: ${n.op} node #${n.id} has no buffer` });
    // Arena values carry their offset; a value in a buffer of its own (a state updated in place) starts at 0.
    if (a.buf === ARENA_BUFFER && a.offset === undefined) throw new KilnError({ message: `runPlanned: ${n.op} node #${n.id} is in the arena without an offset` });
    store(n.id, evaluateNode(n, n.operands.map(load), kernels, 'f32'), a.buf, a.offset ?? 0);
  }
  const out: Record<string, HostTensor> = {};
  for (const o of g.outputs) out[o.name] = load(o.value);
  return out;
}
