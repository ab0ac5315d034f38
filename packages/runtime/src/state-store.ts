// The runtime's device-resident state: named-by-handle tensors (parameters, optimizer slots, RNG
// keys) that outlive any one executable. Executables compiled against a store bind their state
// inputs to its slots, so every graph on one device reads and updates the same storage, uncopied.

import type { TensorType } from '@kiln/ir';
import type { HostInput, HostTensor } from '@kiln/ir';

/** One tensor held by a store. Handles are compared by identity; `id` is for messages and tests. */
export interface StateSlot {
  readonly id: number;
  readonly type: TensorType;
  readonly label: string;
}

/** Counters that let tests prove what moved between host and device (not timings). */
export interface StateStoreStats {
  /** Slots allocated so far (each allocation uploads its initial value once). */
  readonly allocations: number;
  /** Slots alive now. */
  readonly live: number;
  /** Host → device writes after allocation (setState/loadStateDict). */
  readonly writes: number;
  /** Device → host reads (getState/stateDict). */
  readonly reads: number;
}

export interface StateStore {
  readonly backend: 'cpu' | 'webgpu';
  /** A new slot holding `initial` (converted to `type` as inputs are converted). */
  allocate(type: TensorType, label: string, initial: HostInput): StateSlot;
  /** The slot's current value (a copy), after every run already queued on the store. */
  read(slot: StateSlot): Promise<HostTensor>;
  /** Replaces the slot's value, after every run already queued on the store. */
  write(slot: StateSlot, value: HostInput): Promise<void>;
  /** Releases the slot; executables bound to it must not run again. */
  free(slot: StateSlot): void;
  /** True while `slot` belongs to this store and has not been freed. */
  owns(slot: StateSlot): boolean;
  /**
   * Runs `task` after every task queued before it: all executables bound to the store share this
   * queue, so runs, reads and writes happen in call order whichever graph they belong to.
   */
  serialize<T>(task: () => Promise<T>): Promise<T>;
  readonly stats: StateStoreStats;
  /** True once the store's device is lost (never for the CPU): reads and writes then fail. */
  readonly lost: boolean;
  /**
   * A copy of the last value of `slot` that crossed between host and store: its initial value,
   * the last write or the last read. After device loss this is what is left of the slot.
   */
  hostCopy(slot: StateSlot): HostTensor;
}

/** The queue and counters every store implementation shares. */
export abstract class StateStoreBase {
  protected nextId = 1;
  protected counts = { allocations: 0, writes: 0, reads: 0 };
  private queue: Promise<unknown> = Promise.resolve();

  serialize<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  protected abstract liveCount(): number;

  get stats(): StateStoreStats {
    return { ...this.counts, live: this.liveCount() };
  }
}
