// Maps and sets keyed by ValueId, backed by arrays: value ids are small dense integers (the
// builder numbers values from 0, passes add theirs above the input graph's), and the passes look
// values up several times per node, where a hash Map costs several times an array index.

import { KilnError, type ValueId } from '@kiln/ir';

/** Value ids are non-negative 32-bit integers (far below this in any graph that fits in memory). */
const MAX_ID = 2 ** 30;

function checkId(id: ValueId, where: string): void {
  if (!(id >= 0 && id < MAX_ID && (id | 0) === id)) throw new KilnError({ message: `internal: ${where}: ${id} is not a value id (ids are integers in [0, 2^30))` });
}

/** A Map<ValueId, V> (V never undefined) on an array; ids outside [0, 2^30) are never present and cannot be set. */
export class IdMap<V> {
  private readonly slots: (V | undefined)[];
  private count = 0;

  /** `capacity`: one above the largest id expected (the array grows past it if needed). */
  constructor(capacity = 0) {
    // Filled, so the array is packed (a holey array of this size reads slower).
    this.slots = new Array<V | undefined>(capacity).fill(undefined);
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
    checkId(id, 'IdMap.set');
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
    checkId(id, 'IdSet.add');
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
