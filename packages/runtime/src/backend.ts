// The Backend interface every executor implements (CPU interpreter now, WebGPU later): compile a
// graph once, then run it many times with its state (parameters, optimizer slots) kept inside.

import { KilnError, isHostTensor, type Graph, type HostInput, type HostTensor, type Precision } from '@kiln/ir';
import type { StateSlot, StateStore } from './state-store.js';
import type { TuneMode } from './tune/mode.js';

export interface CompileOptions {
  /** Numeric precision where the backend supports a choice (the CPU backend: 'f32' or 'f64'). */
  readonly precision?: Precision;
  /** Initial values of state inputs by name; state not given here starts as zeros. */
  readonly state?: Readonly<Record<string, HostInput>>;
  /**
   * Device-resident state shared with other executables: each state input named in `bindings`
   * reads and updates that slot of `store` (which must belong to this backend) instead of storage
   * of its own, and runs are queued on the store. State inputs not bound keep their own storage.
   */
  readonly store?: StateStore;
  readonly bindings?: Readonly<Record<string, StateSlot>>;
  /**
   * Tuned kernel schedules (WebGPU): 'cached' (default) uses what the tune cache holds for this
   * adapter and never times anything; 'quick' / 'full' first tune this graph's kernels that the cache
   * does not hold yet (for 'full': holds from a 'full' search) and save the winners; 'off' ignores the cache. Backends with nothing to tune ignore it.
   */
  readonly tune?: TuneMode;
}

export interface Backend {
  readonly name: string;
  compile(graph: Graph, opts?: CompileOptions): Promise<Executable>;
}

/**
 * A compiled graph plus its state. `run` takes the non-state inputs by name and returns the
 * non-state outputs by name; each `updatesState` output then replaces its state value, so the
 * next run sees it (the IR stays functional; the executable does the in-place update).
 */
export interface Executable {
  readonly graph: Graph;
  run(inputs: Readonly<Record<string, HostInput>>): Promise<Record<string, HostTensor>>;
  /** Current value of the state input `name` (a copy the caller may keep). */
  getState(name: string): Promise<HostTensor>;
  setState(name: string, value: HostInput): void;
  /** Names of the state inputs, in graph order. */
  readonly stateNames: readonly string[];
  dispose(): void;
}

/** What a value is, for messages about values of the wrong kind. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * Checks the argument of a public `run(inputs)`: a plain record whose values are numbers, typed
 * arrays, arrays of numbers or host tensors. Done at the entry point so misuse is a KilnError
 * naming the argument, never a TypeError from deep inside (or a string silently read as NaNs).
 */
export function checkInputRecord(inputs: unknown, where: string): asserts inputs is Readonly<Record<string, HostInput>> {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs) || ArrayBuffer.isView(inputs))
    throw new KilnError({ message: `${where}: takes one record of named inputs, e.g. run({ x: new Float32Array(n) }); got ${kindOf(inputs)}` });
  for (const [name, v] of Object.entries(inputs)) checkHostInput(v, `${where}: input %${name}`);
}

/** Checks one host value (input or state) has a kind Kiln converts: see checkInputRecord. */
export function checkHostInput(v: unknown, what: string): asserts v is HostInput {
  if (typeof v === 'number') return;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array)) return;
  if (Array.isArray(v)) {
    const bad = v.findIndex((x) => typeof x !== 'number');
    if (bad >= 0) throw new KilnError({ message: `${what}: element ${bad} is ${kindOf(v[bad])}, not a number (pass a flat array of numbers or a typed array)` });
    return;
  }
  if (isHostTensor(v)) return;
  throw new KilnError({ message: `${what}: expected a number, a typed array, an array of numbers or a host tensor, got ${kindOf(v)}` });
}
