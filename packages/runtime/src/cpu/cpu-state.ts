// The CPU interpreter's StateStore: slots are HostTensors in a map. Executables bound to it read
// their state from the slots and write updates back after each run (see cpu-backend.ts).

import { KilnError, type TensorType } from '@kiln/ir';
import { StateStoreBase, type StateSlot, type StateStore } from '../state-store.js';
import { toHostTensor, type HostInput, type HostTensor, type Precision } from '@kiln/ir';

export function copyHostTensor(t: HostTensor): HostTensor {
  return { type: { dtype: t.type.dtype, shape: [...t.type.shape] }, data: t.data.slice() };
}

export class CpuStateStore extends StateStoreBase implements StateStore {
  readonly backend = 'cpu' as const;
  private readonly values = new Map<StateSlot, HostTensor>();

  constructor(readonly precision: Precision = 'f32') {
    super();
  }

  allocate(type: TensorType, label: string, initial: HostInput): StateSlot {
    const slot: StateSlot = { id: this.nextId++, type: { dtype: type.dtype, shape: [...type.shape] }, label };
    this.values.set(slot, copyHostTensor(toHostTensor(initial, type, this.precision, label)));
    this.counts.allocations++;
    return slot;
  }

  read(slot: StateSlot): Promise<HostTensor> {
    return this.serialize(async () => {
      this.counts.reads++;
      return copyHostTensor(this.value(slot));
    });
  }

  write(slot: StateSlot, value: HostInput): Promise<void> {
    const t = copyHostTensor(toHostTensor(value, slot.type, this.precision, slot.label));
    return this.serialize(async () => {
      this.value(slot);
      this.counts.writes++;
      this.values.set(slot, t);
    });
  }

  free(slot: StateSlot): void {
    this.values.delete(slot);
  }

  /** The CPU never loses its state. */
  readonly lost = false;

  hostCopy(slot: StateSlot): HostTensor {
    return copyHostTensor(this.value(slot));
  }

  owns(slot: StateSlot): boolean {
    return this.values.has(slot);
  }

  /** The slot's tensor itself (no copy): for executables, which never write into operands. */
  value(slot: StateSlot): HostTensor {
    const v = this.values.get(slot);
    if (v === undefined) throw new KilnError({ message: `state ${slot.label} was freed or belongs to another store` });
    return v;
  }

  /** Replaces the slot's tensor by one the caller no longer holds (an executable's update). */
  replace(slot: StateSlot, t: HostTensor): void {
    this.value(slot);
    this.values.set(slot, t);
  }

  protected liveCount(): number {
    return this.values.size;
  }
}
