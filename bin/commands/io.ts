// CLI helpers: reading IR files and JSON inputs, printing tensors as JSON, loading model scripts.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KilnError, numel, parse, formatType, type Graph, type GraphInput, type TensorType } from '@kiln/ir';
import type { ParamSpec } from '@kiln/frontend';
import type { HostTensor } from '@kiln/runtime';

export function readIr(path: string): Graph {
  return parse(readFileSync(path, 'utf8'), path);
}

type Nested = number | boolean | Nested[];

function flatten(v: Nested, out: number[]): void {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else out.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
}

/**
 * Reads `{ "inputName": number | nested array }` and checks element counts against the graph.
 * Every input must be present unless `optional(input)` says it may be left out (then it is absent).
 */
export function readInputs(path: string, g: Graph, optional: (inp: GraphInput) => boolean = () => false): Record<string, number[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new KilnError({ file: path, message: `cannot read inputs: ${(e as Error).message}` });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new KilnError({ file: path, message: 'inputs must be a JSON object {"name": values}' });
  const record = raw as Record<string, Nested>;
  const out: Record<string, number[]> = {};
  for (const inp of g.inputs) {
    const v = record[inp.name];
    if (v === undefined && optional(inp)) continue;
    if (v === undefined) throw new KilnError({ file: path, value: `%${inp.name}`, message: `missing input (${formatType(inp.type)})` });
    const flat: number[] = [];
    flatten(v, flat);
    const want = numel(inp.type.shape);
    if (flat.length !== want && flat.length !== 1)
      throw new KilnError({ file: path, value: `%${inp.name}`, message: `has ${flat.length} values, ${formatType(inp.type)} needs ${want}` });
    out[inp.name] = flat.length === 1 && want !== 1 ? new Array<number>(want).fill(flat[0] ?? 0) : flat;
  }
  for (const k of Object.keys(record))
    if (!g.inputs.some((i) => i.name === k)) throw new KilnError({ file: path, message: `"${k}" is not an input of @${g.name}` });
  return out;
}

/** Nested JSON arrays in the tensor's shape (scalars as plain numbers). */
export function toJson(t: HostTensor): Nested {
  const data = Array.from(t.data, (x) => (t.type.dtype === 'bool' ? x !== 0 : x)) as (number | boolean)[];
  const build = (shape: readonly number[], offset: number): [Nested, number] => {
    if (shape.length === 0) return [data[offset] ?? 0, offset + 1];
    const [d, ...rest] = shape;
    const items: Nested[] = [];
    let o = offset;
    for (let i = 0; i < (d ?? 0); i++) {
      const [v, next] = build(rest, o);
      items.push(v);
      o = next;
    }
    return [items, o];
  };
  return build(t.type.shape, 0)[0];
}

export function describeType(t: TensorType): string {
  return formatType(t);
}

/** Loads a model script: its default export is a traced model, or a (possibly async) function returning one. */
export async function loadScript(path: string): Promise<unknown> {
  const mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  let v = mod.default;
  if (v === undefined) throw new KilnError({ file: path, message: 'a model script must `export default` a traced model (k.trace(...)) or a function returning one' });
  if (typeof v === 'function') v = await (v as () => unknown)();
  return v;
}

/** A graph to run: from an IR file (params undefined) or a traced model script (params with their initializers). */
export interface LoadedModel {
  readonly graph: Graph;
  readonly params: readonly ParamSpec[] | undefined;
}

export async function loadModel(file: string): Promise<LoadedModel> {
  if (file.endsWith('.kir')) return { graph: readIr(file), params: undefined };
  const value = await loadScript(file);
  if (typeof value === 'object' && value !== null && 'graph' in value) {
    const params = 'params' in value && Array.isArray(value.params) ? (value.params as readonly ParamSpec[]) : undefined;
    return { graph: (value as { graph: Graph }).graph, params };
  }
  throw new KilnError({ file, message: 'the default export is not a traced model (expected an object with a .graph, as k.trace returns)' });
}

/** The graph of an IR file, or of the traced model a script exports. */
export async function loadGraph(file: string): Promise<Graph> {
  return (await loadModel(file)).graph;
}
