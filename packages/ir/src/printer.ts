// IR printer: the canonical text form. print(parse(print(g))) === print(g) for every valid graph.
// Unnamed values print as %0, %1, … in definition order; named ones as %name (deduplicated).

import { ANNOTATION_KEYS, type AttrValue, type Annotations } from './attrs.js';
import { formatSourceLoc } from './errors.js';
import { formatAttrValue } from './format-values.js';
import type { Graph, ValueId } from './graph.js';
import { opDefErased } from './ops/index.js';
import { formatType } from './shape.js';

export interface PrintOptions {
  /** Append `# file:line` of the traced source to each node. */
  readonly locations?: boolean;
}

export function print(g: Graph, opts: PrintOptions = {}): string {
  const parts = g.kernels.map((k) => printOne(k, opts));
  parts.push(printOne(g, opts));
  return parts.join('\n');
}

function formatAnnotations(a: Annotations | undefined): string[] {
  if (a === undefined) return [];
  const out: string[] = [];
  for (const k of ANNOTATION_KEYS) {
    const v = a[k];
    if (v !== undefined) out.push(`${k}=${v}`);
  }
  return out;
}

/** Assigns every value its printed name. */
export function valueNames(g: Graph): Map<ValueId, string> {
  const names = new Map<ValueId, string>();
  const used = new Set<string>();
  for (const i of g.inputs) {
    names.set(i.id, i.name);
    used.add(i.name);
  }
  let counter = 0;
  for (const n of g.nodes) {
    if (n.name === undefined) {
      names.set(n.id, String(counter++));
      continue;
    }
    const base = printableName(n.name);
    let candidate = base;
    for (let k = 2; used.has(candidate); k++) candidate = `${base}_${k}`;
    used.add(candidate);
    names.set(n.id, candidate);
  }
  return names;
}

/**
 * Node names are free-form strings, but the lexer reads only `[A-Za-z0-9_.]+` after `%` and the
 * parser takes an all-digit `%3` for an unnamed value, so other names are rewritten into a form
 * that reprints unchanged (`a$b` → `a_b`, `0` → `_0`, `` → `_`).
 */
function printableName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.]/g, '_');
  return /^\d*$/.test(cleaned) ? `_${cleaned}` : cleaned;
}

function printOne(g: Graph, opts: PrintOptions): string {
  const names = valueNames(g);
  const ref = (v: ValueId): string => `%${names.get(v) ?? `?${v}`}`;
  const params = g.inputs.map((i) => {
    const flags = [...(i.state ? ['state'] : []), ...formatAnnotations(i.annotations)];
    return `%${i.name}: ${formatType(i.type)}${flags.length > 0 ? ` {${flags.join(', ')}}` : ''}`;
  });
  const typeOf = new Map<ValueId, string>();
  for (const i of g.inputs) typeOf.set(i.id, formatType(i.type));
  for (const n of g.nodes) typeOf.set(n.id, formatType(n.type));
  const results = g.outputs.map((o) => `${o.updatesState ? '%' : ''}${o.name}: ${typeOf.get(o.value) ?? '?'}`);
  const lines = [`${g.kind} @${g.name}(${params.join(', ')}) -> (${results.join(', ')}) {`];
  for (const n of g.nodes) {
    const def = opDefErased(n.op);
    const attrRecord = n.attrs as Readonly<Record<string, AttrValue>>;
    const attrs = Object.entries(def.attrs).map(([key, kind]) => {
      const v = attrRecord[key];
      return `${key}=${v === undefined ? '<missing>' : formatAttrValue(kind, v)}`;
    });
    attrs.push(...formatAnnotations(n.annotations));
    const operands = n.operands.map(ref).join(', ');
    let line = `  ${ref(n.id)}: ${formatType(n.type)} = ${n.op}${operands ? ` ${operands}` : ''}${attrs.length > 0 ? ` {${attrs.join(', ')}}` : ''}`;
    if (opts.locations === true && n.loc !== undefined) line += `  # ${formatSourceLoc(n.loc)}`;
    lines.push(line);
  }
  lines.push(`  return ${g.outputs.map((o) => ref(o.value)).join(', ')}`.trimEnd());
  lines.push('}');
  return lines.join('\n') + '\n';
}
