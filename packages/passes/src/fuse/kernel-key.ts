// Fusion's kernel sharing key: the structure of a kernel body up to node names, as its printed IR
// would show it (op, type, operands, attributes, annotations), built without printing: attribute
// and type text is formatted once per attrs/type object, which fused kernels share with their graph.

import { ANNOTATION_KEYS, formatAttrValue, formatType, opDefErased, type Annotations, type AttrValue, type Graph, type Node, type TensorType, type ValueId } from '@kiln/ir';

const attrText = new WeakMap<object, string>();
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

function annotationsKey(a: Annotations | undefined): string {
  if (a === undefined) return '';
  return ANNOTATION_KEYS.map((k) => (a[k] === undefined ? '' : `${k}=${a[k]}`)).join(',');
}

/** Equal for two kernels exactly when their printed bodies agree once node names are dropped. */
export function kernelKey(kernel: Graph): string {
  const local = new Map<ValueId, number>();
  const ref = (v: ValueId): string => {
    const l = local.get(v);
    return l === undefined ? `?${v}` : String(l);
  };
  const lines: string[] = [kernel.kind];
  kernel.inputs.forEach((i, k) => {
    local.set(i.id, k);
    lines.push(`${i.name}:${typeKey(i.type)}:${i.state ? 'state' : ''}:${annotationsKey(i.annotations)}`);
  });
  kernel.nodes.forEach((n, k) => {
    local.set(n.id, kernel.inputs.length + k);
    lines.push(`${typeKey(n.type)} ${attrsKey(n)} ${n.operands.map(ref).join(',')} ${annotationsKey(n.annotations)}`);
  });
  for (const o of kernel.outputs) lines.push(`${o.updatesState ? '%' : ''}${o.name}=${ref(o.value)}`);
  return lines.join('\n');
}
