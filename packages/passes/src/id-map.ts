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

/** A Set<ValueId> on a byte array (membership only: iterate the graph's nodes to visit members in order). */
export class IdSet {
  private bits: Uint8Array;
  private count = 0;

  /** `capacity`: one above the largest id expected (the array grows past it if needed). */
  constructor(capacity = 0, members: Iterable<ValueId> = []) {
    this.bits = new Uint8Array(Math.max(16, capacity));
    for (const id of members) this.add(id);
  }

  get size(): number {
    return this.count;
  }

  has(id: ValueId): boolean {
    return this.bits[id] === 1;
  }

  add(id: ValueId): this {
    if (!(id >= 0 && id < 2 ** 30 && Number.isInteger(id))) throw new RangeError(`internal: IdSet: ${id} is not a value id`);
    if (id >= this.bits.length) {
      const grown = new Uint8Array(Math.max(id + 1, 2 * this.bits.length));
      grown.set(this.bits);
      this.bits = grown;
    }
    if (this.bits[id] === 0) {
      this.bits[id] = 1;
      this.count++;
    }
    return this;
  }

  delete(id: ValueId): boolean {
    if (this.bits[id] !== 1) return false;
    this.bits[id] = 0;
    this.count--;
    return true;
  }
}
