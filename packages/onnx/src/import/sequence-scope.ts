// The importer side of sequence ops (sequences.ts): lowers one sequence op against the importer's
// name table and binds its output to a list of item names, an existing item (SequenceAt), a static
// length (SequenceLength) or a value (ConcatFromSequence).

import { KilnError, type ValueId } from '@kiln/ir';
import type { OnnxNode } from '../model.js';
import { kilnDType } from '../tensor-data.js';
import { NodeCtx } from './node-ctx.js';
import type { ImportScope, Slot } from './scope.js';
import { itemKey, type SequenceResult, type SequenceRule, type SequenceScope } from './sequences.js';

function sequenceScope(s: ImportScope): SequenceScope {
  return {
    items: (c, i) => {
      const name = c.node.inputs[i] ?? '';
      const slot = s.slots.get(name);
      if (slot?.kind !== 'sequence') throw c.error(`input #${i} "${name}" is not a sequence`);
      return slot.items;
    },
    typeOf: (name, where) => {
      const slot = s.slots.get(name);
      if (slot?.kind === 'static') return { dtype: slot.value.dtype, shape: [...slot.value.dims] };
      if (slot?.kind === 'init') return { dtype: kilnDType(slot.tensor.dataType, `initializer "${name}"`), shape: [...slot.tensor.dims] };
      return s.b.typeOf(s.valueOf(name, where));
    },
    value: (name, where) => s.valueOf(name, where),
    bindItem: (out: string, i: number, id: ValueId) => {
      const name = itemKey(out, i);
      s.slots.set(name, s.valueSlot(id));
      return name;
    },
  };
}

function sequenceSlot(s: ImportScope, r: SequenceResult, where: string): Slot {
  switch (r.kind) {
    case 'sequence':
      return { kind: 'sequence', items: r.items };
    case 'length':
      return { kind: 'static', value: { dims: [], values: [r.length], dtype: 'i32' } };
    case 'value':
      return s.valueSlot(r.id);
    case 'alias': {
      const item = s.slots.get(r.name);
      if (item === undefined) throw new KilnError({ op: where, message: `internal: sequence item "${r.name}" has no value` });
      return item;
    }
    default: {
      const never: never = r;
      throw new KilnError({ op: where, message: `internal: unknown sequence result ${JSON.stringify(never)}` });
    }
  }
}

export function lowerSequence(s: ImportScope, node: OnnxNode, where: string, rule: SequenceRule): void {
  for (const a of node.attributes) if (!rule.attrs.includes(a.name)) throw new KilnError({ op: where, message: `unsupported attribute ${a.name} of ${node.opType} (opset ${s.opset})` });
  const r = rule.lower(new NodeCtx(s.emitter(where), node, s.opset, s.sourceOf(node, where)), sequenceScope(s));
  s.bindSlot(node, where, sequenceSlot(s, r, where));
}
