// Fusion's kernel sharing key: the structure of the kernel a cone becomes, up to node names, as its
// printed IR would show it (types, ops, attributes, operands), built without building or printing
// the kernel.

import { formatType, type Node, type TensorType, type ValueId } from '@kiln/ir';
import { attrsText } from '../node-text.js';

/** A member's type and attribute text: the part of its key line that does not depend on the cone. */
function nodeKey(n: Node): string {
  return `${formatType(n.type)} ${n.op}{${attrsText(n, ', ', '<missing>')}}`;
}

/** A cone's inputs: the values its members read from outside it, in first-use order (buildKernel's order). */
export function coneOperands(members: readonly Node[]): ValueId[] {
  const inCone = new Set<ValueId>();
  for (const n of members) inCone.add(n.id);
  const operands: ValueId[] = [];
  for (const n of members) for (const o of n.operands) if (!inCone.has(o) && !operands.includes(o)) operands.push(o);
  return operands;
}

/**
 * The key of the kernel buildKernel makes from this cone, computed without building it: equal
 * for two cones exactly when their kernels print alike once node names are dropped (inputs
 * `in0…` with their types, then each member's type, op, attributes and local operand numbers).
 */
export function coneKey(members: readonly Node[], root: Node, operands: readonly ValueId[], typeOf: (v: ValueId) => TensorType): string {
  const local = new Map<ValueId, number>();
  const lines: string[] = [];
  operands.forEach((v, k) => {
    local.set(v, k);
    lines.push(formatType(typeOf(v)));
  });
  members.forEach((n, k) => local.set(n.id, operands.length + k));
  for (const n of members) {
    let refs = '';
    for (const o of n.operands) refs += `${local.get(o)},`;
    lines.push(`${nodeKey(n)} ${refs}`);
  }
  lines.push(`out=${local.get(root.id)}`);
  return lines.join('\n');
}
