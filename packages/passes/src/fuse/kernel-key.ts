// Fusion's kernel sharing key: the structure of the kernel a cone becomes, up to node names, as its
// printed IR would show it (types, ops, attributes, operands), built without building or printing
// the kernel: attribute and type text is formatted once per attrs/type object of the graph.

import { formatAttrValue, formatType, opDefErased, type AttrValue, type Node, type TensorType, type ValueId } from '@kiln/ir';

const attrText = new WeakMap<object, string>();
/** Per node: its type and attribute text (the part of its key line that does not depend on the cone). */
const nodeText = new WeakMap<Node, string>();

function nodeKey(n: Node): string {
  let s = nodeText.get(n);
  if (s === undefined) nodeText.set(n, (s = `${typeKey(n.type)} ${attrsKey(n)}`));
  return s;
}
const typeText = new WeakMap<TensorType, string>();

function typeKey(t: TensorType): string {
  let s = typeText.get(t);
  if (s === undefined) typeText.set(t, (s = formatType(t)));
  return s;
}

function attrsKey(n: Node): string {
  const attrs = n.attrs as Readonly<Record<string, AttrValue>>;
  // The same attrs object may in principle be shared by nodes of different ops: key by op too.
  let s = attrText.get(attrs);
  if (s !== undefined && s.startsWith(`${n.op}{`)) return s;
  const parts = Object.entries(opDefErased(n.op).attrs).map(([key, kind]) => {
    const v = attrs[key];
    return `${key}=${v === undefined ? '<missing>' : formatAttrValue(kind, v)}`;
  });
  s = `${n.op}{${parts.join(', ')}}`;
  attrText.set(attrs, s);
  return s;
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
    lines.push(typeKey(typeOf(v)));
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
