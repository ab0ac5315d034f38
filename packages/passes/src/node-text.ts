// The attribute text of a node for the passes' structural keys (cse's merge key, fusion's kernel
// sharing key): each attribute the op's registry entry declares, formatted as the printer does.
// Each op's attribute list is read from the registry once; nothing is cached per node, since the
// passes key each node about once and per-node caches only cost memory and GC.

import { formatAttrValue, opDefErased, type AttrKind, type AttrValue, type Node, type OpKind } from '@kiln/ir';

const declaredAttrs = new Map<OpKind, readonly (readonly [string, AttrKind])[]>();

function attrKindsOf(op: OpKind): readonly (readonly [string, AttrKind])[] {
  let kinds = declaredAttrs.get(op);
  if (kinds === undefined) declaredAttrs.set(op, (kinds = Object.entries(opDefErased(op).attrs)));
  return kinds;
}

/** `key=value` for every declared attribute, joined by `sep` (`missing` for an absent one); '' for none. */
export function attrsText(n: Node, sep: string, missing: string): string {
  const kinds = attrKindsOf(n.op);
  if (kinds.length === 0) return '';
  const attrs = n.attrs as Readonly<Record<string, AttrValue>>;
  let s = '';
  for (let i = 0; i < kinds.length; i++) {
    const [key, kind] = kinds[i]!;
    const v = attrs[key];
    s += `${i > 0 ? sep : ''}${key}=${v === undefined ? missing : formatAttrValue(kind, v)}`;
  }
  return s;
}
