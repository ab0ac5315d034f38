// Maps and sets keyed by ValueId, backed by arrays: value ids are small dense integers (the
// builder numbers values from 0, passes add theirs above the input graph's), and the passes look
// values up several times per node, where a hash Map costs several times an array index.

import type { ValueId } from '@kiln/ir';

/** A Map<ValueId, V> (V never undefined) on an array; ids outside [0, 2^30) are never present. */
export class IdMap<V> {
  private readonly slots: (V | undefined)[];
  private count = 0;

  /** `capacity`: one above the largest id expected (the array grows past it if needed). */
  constructor(capacity = 0) {
    this.slots = new Array<V | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  get(id: ValueId): V | undefined {
    return this.slots[id];
  }

  has(id: ValueId): boolean {
    return this.slots[id] !== undefined;
  }

  set(id: ValueId, value: V): this {
    if (!(id >= 0 && id < 2 ** 30 && Number.isInteger(id))) throw new RangeError(`internal: IdMap: ${id} is not a value id`);
    if (this.slots[id] === undefined) this.count++;
    this.slots[id] = value;
    return this;
  }

  delete(id: ValueId): boolean {
    if (this.slots[id] === undefined) return false;
    this.slots[id] = undefined;
    this.count--;
    return true;
  }
}
