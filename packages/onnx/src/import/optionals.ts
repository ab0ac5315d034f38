// ONNX optionals, resolved at import time: an optional value is present (wrapping a tensor or a
// sequence slot) or absent, fixed when the model is imported. Optional, OptionalHasElement (a static
// bool), OptionalGetElement (the wrapped slot itself), and Identity of an optional or a sequence.

import { KilnError } from '@kiln/ir';
import type { OnnxNode } from '../model.js';
import type { ImportScope, Slot } from './scope.js';

const bool = (v: boolean): Slot => ({ kind: 'static', value: { dims: [], values: [v ? 1 : 0], dtype: 'bool' } });

/** Lowers `node` when it is one of the optional ops or an Identity of a non-tensor; false otherwise. */
export function lowerOptional(s: ImportScope, node: OnnxNode, where: string): boolean {
  const name = node.inputs[0] ?? '';
  const input = name === '' ? undefined : s.slots.get(name);
  if (name !== '' && input === undefined && ['Optional', 'OptionalHasElement', 'OptionalGetElement'].includes(node.opType))
    throw new KilnError({ op: where, message: `input "${name}" is not defined before use` });
  const noAttrs = (allowed: readonly string[]): void => {
    for (const a of node.attributes) if (!allowed.includes(a.name)) throw new KilnError({ op: where, message: `unsupported attribute ${a.name} of ${node.opType}` });
  };
  switch (node.opType) {
    case 'Identity':
      if (input?.kind !== 'sequence' && input?.kind !== 'optional') return false;
      s.bindSlot(node, where, input);
      return true;
    case 'Optional':
      noAttrs(['type']);
      if (input?.kind === 'optional') throw new KilnError({ op: where, message: 'unsupported: an optional of an optional' });
      s.bindSlot(node, where, { kind: 'optional', inner: input });
      return true;
    case 'OptionalHasElement':
      noAttrs([]);
      // Opset 18 also takes a plain tensor or sequence (always present) or no input (absent).
      s.bindSlot(node, where, bool(input === undefined ? false : input.kind !== 'optional' || input.inner !== undefined));
      return true;
    case 'OptionalGetElement': {
      noAttrs([]);
      if (input === undefined) throw new KilnError({ op: where, message: 'input #0 is required' });
      const inner = input.kind === 'optional' ? input.inner : input;
      if (inner === undefined) throw new KilnError({ op: where, message: `optional "${name}" is empty (known at import time), so it has no element to get` });
      s.bindSlot(node, where, inner);
      return true;
    }
    default:
      return false;
  }
}
