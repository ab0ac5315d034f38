// The Backend interface every executor implements (CPU interpreter now, WebGPU later): compile a
// graph once, then run it many times with its state (parameters, optimizer slots) kept inside.

import type { Graph } from '@kiln/ir';
import type { HostInput, HostTensor, Precision } from '@kiln/ir';
import type { StateSlot, StateStore } from './state-store.js';

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
