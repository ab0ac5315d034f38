// CLI helpers: reading IR files and JSON inputs, printing tensors as JSON, loading model scripts.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KilnError, elementAt, parse, formatType, type Graph, type GraphInput } from '@kiln/ir';
import type { ParamSpec } from '@kiln/frontend';
import type { HostTensor } from '@kiln/runtime';
import { decodeInput, encodeElement, type JsonValue } from './inputs-json.js';

/** The text of a file, or a one-line KilnError saying why it cannot be read (missing, a directory, no permission). */
export function readTextFile(path: string, what: string): string {
  checkReadable(path, what);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new KilnError({ file: path, message: `cannot read ${what}: ${systemReason(e)}` });
  }
}

/** Throws a one-line KilnError unless `path` names an existing regular file. */
export function checkReadable(path: string, what: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (e) {
    throw new KilnError({ file: path, message: `cannot read ${what}: ${systemReason(e)}` });
  }
  if (!isFile) throw new KilnError({ file: path, message: `cannot read ${what}: it is a directory or special file, not a regular file` });
}

/** A Node system error's reason in words ('no such file or directory'), without the syscall noise. */
export function systemReason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return e.message.split('\n')[0] ?? e.message;
  }
}

export function readIr(path: string): Graph {
  return parse(readTextFile(path, 'the IR file'), path);
}

/**
 * Reads `{ "inputName": nested or flat array }` strictly (see inputs-json.ts) against the graph's inputs.
 * Every input must be present unless `optional(input)` says it may be left out (then it is absent).
 */
export function readInputs(path: string, g: Graph, optional: (inp: GraphInput) => boolean = () => false): Record<string, number[]> {
  let raw: unknown;
  const text = readTextFile(path, 'inputs');
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new KilnError({ file: path, message: `inputs are not valid JSON: ${(e as Error).message}` });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new KilnError({ file: path, message: 'inputs must be a JSON object {"name": values}' });
  const record = new Map<string, unknown>(Object.entries(raw));
  const out: Record<string, number[]> = {};
  for (const inp of g.inputs) {
    const v = record.get(inp.name);
    if (v === undefined && optional(inp)) continue;
    if (v === undefined) throw new KilnError({ file: path, value: `%${inp.name}`, message: `missing input (${formatType(inp.type)})` });
    out[inp.name] = decodeInput(path, inp, v);
  }
  for (const k of record.keys()) if (!g.inputs.some((i) => i.name === k)) throw new KilnError({ file: path, message: `"${k}" is not an input of @${g.name}` });
  return out;
}

/** Nested JSON arrays in the tensor's shape (scalars as plain values; NaN/±Inf as strings). */
export function toJson(t: HostTensor): JsonValue {
  const data = Array.from(t.data, (x) => encodeElement(x, t.type.dtype));
  const build = (shape: readonly number[], offset: number): [JsonValue, number] => {
    if (shape.length === 0) {
      const v = data[offset];
      if (v === undefined) throw new Error(`internal error: toJson read past the ${data.length} elements of ${formatType(t.type)}`);
      return [v, offset + 1];
    }
    const d = elementAt(shape, 0, 'toJson shape (rank >= 1 here)');
    const rest = shape.slice(1);
    const items: JsonValue[] = [];
    let o = offset;
    for (let i = 0; i < d; i++) {
      const [v, next] = build(rest, o);
      items.push(v);
      o = next;
    }
    return [items, o];
  };
  return build(t.type.shape, 0)[0];
}

/** Loads a model script: its default export is a traced model, or a (possibly async) function returning one. */
export async function loadScript(path: string): Promise<unknown> {
  checkReadable(path, 'the model script');
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  } catch (e) {
    throw scriptError(path, 'cannot load the model script', e);
  }
  let v = mod.default;
  if (v === undefined) throw new KilnError({ file: path, message: 'a model script must `export default` a traced model (k.trace(...)) or a function returning one' });
  if (typeof v === 'function') {
    try {
      v = await (v as () => unknown)();
    } catch (e) {
      throw scriptError(path, "the model script's default export threw", e);
    }
  }
  return v;
}

/** A user script's own error as one line (a KilnError from Kiln keeps its diagnostics). */
function scriptError(path: string, what: string, e: unknown): KilnError {
  if (e instanceof KilnError) return e;
  if (e instanceof Error && e.name === 'KilnError') return new KilnError({ file: path, message: e.message });
  const text = e instanceof Error ? e.message : String(e);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return new KilnError({ file: path, message: `${what}: ${lines.join(' ')}` });
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
