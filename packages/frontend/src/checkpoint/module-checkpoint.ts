// Checkpoints of modules: k.checkpoint.save / encode / load — safetensors files holding a module's
// variables under their field-path names and, optionally, optimizer state under
// `optimizer.<name>.<slot>.<param>` (and `optimizer.<name>.step`), so training can resume.

import { KilnError, formatType, typesEqual } from '@kiln/ir';
import type { LoadReport, Module } from '../modules/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Variable } from '../variable.js';
import { loadSafetensors, saveSafetensors } from './files.js';
import { fromSafetensors, toSafetensors, type LoadedHostTensor } from './host-tensors.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from './safetensors.js';

export interface SaveOptions {
  /** Optimizers whose state (slots, step counters) to include. */
  readonly optimizer?: Optimizer | readonly Optimizer[];
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface LoadOptions {
  /** true (default): any missing, unexpected or mismatched tensor is an error and nothing is loaded. */
  readonly strict?: boolean;
  /** Optimizers to restore; their state is made before the first step if needed. Without it, optimizer state in the file is skipped. */
  readonly optimizer?: Optimizer | readonly Optimizer[];
}

const FORMAT = { format: 'kiln', version: '1' } as const;

function optimizersOf(o: Optimizer | readonly Optimizer[] | undefined): readonly Optimizer[] {
  return o === undefined ? [] : Array.isArray(o) ? (o as readonly Optimizer[]) : [o as Optimizer];
}

/** Every variable the checkpoint covers, by checkpoint name. */
function variablesOf(module: Module, optimizers: readonly Optimizer[], creating: ReadonlySet<string> = new Set()): Map<string, Variable> {
  const out = new Map<string, Variable>(module.namedVariableEntries());
  const names = new Map<Variable, string>([...out].map(([n, v]) => [v, n]));
  for (const opt of optimizers) {
    if (opt.name.includes('.')) throw new KilnError({ message: `checkpoint: optimizer name '${opt.name}' must not contain '.'` });
    for (const s of opt.slotVariables()) {
      const pname = s.param === undefined ? undefined : names.get(s.param);
      if (s.param !== undefined && pname === undefined) continue;
      out.set(pname === undefined ? `optimizer.${opt.name}.step` : `optimizer.${opt.name}.${s.kind}.${pname}`, s.variable);
    }
    // Names in the file that the optimizer has not made yet (a fresh process): make them now.
    const prefix = `optimizer.${opt.name}.`;
    for (const n of creating) {
      if (!n.startsWith(prefix) || out.has(n)) continue;
      const rest = n.slice(prefix.length);
      if (rest === 'step') out.set(n, opt.stateFor(undefined, 'step'));
      else {
        const dot = rest.indexOf('.');
        const param = dot > 0 ? out.get(rest.slice(dot + 1)) : undefined;
        if (param !== undefined) out.set(n, opt.stateFor(param, rest.slice(0, dot), rest.slice(dot + 1)));
      }
    }
  }
  return out;
}

/** Every covered variable's current value, as safetensors entries. */
async function snapshot(module: Module, opts: SaveOptions): Promise<Record<string, SafetensorsTensor>> {
  const vars = [...variablesOf(module, optimizersOf(opts.optimizer))];
  const values = await Promise.all(vars.map(([, v]) => v.read()));
  return toSafetensors(Object.fromEntries(vars.map(([n], i) => [n, values[i]!])));
}

/** The checkpoint as safetensors bytes (works anywhere: no file system needed). */
export async function encode(module: Module, opts: SaveOptions = {}): Promise<Uint8Array> {
  return encodeSafetensors(await snapshot(module, opts), { ...FORMAT, ...opts.metadata });
}

/** Writes the checkpoint to `path` atomically (Node): a crash mid-write keeps the previous file. */
export async function save(path: string, module: Module, opts: SaveOptions = {}): Promise<void> {
  await saveSafetensors(path, await snapshot(module, opts), { ...FORMAT, ...opts.metadata });
}

/**
 * Loads a checkpoint (a file path in Node, or bytes / a Blob anywhere) into `module` (and
 * optimizers). Strict (default): the names must match exactly, else nothing is loaded; non-strict
 * loads what matches and reports the rest.
 */
export async function load(source: string | Uint8Array | Blob, module: Module, opts: LoadOptions = {}): Promise<LoadReport> {
  const file = typeof source === 'string' ? source : '<checkpoint>';
  const contents =
    typeof source === 'string' ? await loadSafetensors(source) : decodeSafetensors(source instanceof Uint8Array ? source : new Uint8Array(await source.arrayBuffer()), file);
  const tensors: Record<string, LoadedHostTensor> = fromSafetensors(contents, undefined, file);
  const optimizers = optimizersOf(opts.optimizer);
  const vars = variablesOf(module, optimizers, new Set(Object.keys(tensors)));
  const missing = [...vars.keys()].filter((n) => !Object.hasOwn(tensors, n));
  // Optimizer state in the file is for resuming: loading weights alone (no optimizer given) skips it.
  const unexpected = Object.keys(tensors).filter((n) => !vars.has(n) && (optimizers.length > 0 || !n.startsWith('optimizer.')));
  const mismatched: { name: string; expected: string; got: string }[] = [];
  const toLoad: [string, Variable, LoadedHostTensor][] = [];
  for (const [name, v] of vars) {
    const t = tensors[name];
    if (t === undefined) continue;
    if (!typesEqual(t.type, v.type)) mismatched.push({ name, expected: formatType(v.type), got: formatType(t.type) });
    else toLoad.push([name, v, t]);
  }
  if (opts.strict !== false && (missing.length > 0 || unexpected.length > 0 || mismatched.length > 0)) {
    const parts = [
      missing.length > 0 ? `missing from the checkpoint: ${missing.join(', ')}` : '',
      unexpected.length > 0 ? `not in the model: ${unexpected.join(', ')}` : '',
      mismatched.length > 0 ? `shape or dtype differs: ${mismatched.map((m) => `${m.name} (model ${m.expected}, checkpoint ${m.got})`).join(', ')}` : '',
    ].filter((p) => p !== '');
    throw new KilnError({
      file,
      message: `checkpoint does not match ${module.constructor.name}: ${parts.join('; ')} (nothing was loaded; pass { strict: false } to load the names that match)`,
    });
  }
  await Promise.all(toLoad.map(([, v, t]) => v.write(t.data)));
  return { loaded: toLoad.map(([n]) => n), missing, unexpected, mismatched };
}
