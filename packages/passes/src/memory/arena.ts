// The transient-buffer arena of memory planning: one GPU buffer, carved into 256-byte-aligned
// blocks, best-fit allocation from a coalescing free list (plan-memory.ts drives it).

import { dtypeBytes, numel, type TensorType } from '@kiln/ir';

/** WebGPU's minStorageBufferOffsetAlignment guarantee: bindings at offsets that are multiples of 256. */
export const ARENA_ALIGNMENT = 256;

export function alignUp(bytes: number, alignment = ARENA_ALIGNMENT): number {
  return Math.ceil(bytes / alignment) * alignment;
}

/** Bytes a value occupies in the arena (0 for empty tensors, which need no space). */
export function arenaBytesOf(t: TensorType): number {
  return alignUp(numel(t.shape) * dtypeBytes(t.dtype));
}

interface Block {
  offset: number;
  size: number;
}

export class Arena {
  /** Free blocks below `top`, sorted by offset, never adjacent (coalesced). */
  private readonly free: Block[] = [];
  private top = 0;
  private high = 0;

  /** The arena size needed so far (the high-water mark). */
  get peak(): number {
    return this.high;
  }

  /** Best fit: the smallest free block that holds `size` (lowest offset on ties), else the top. */
  alloc(size: number): number {
    if (size === 0) return 0;
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!;
      if (b.size >= size && (best < 0 || b.size < this.free[best]!.size)) best = i;
    }
    if (best >= 0) {
      const b = this.free[best]!;
      const offset = b.offset;
      if (b.size === size) this.free.splice(best, 1);
      else {
        b.offset += size;
        b.size -= size;
      }
      return offset;
    }
    const offset = this.top;
    this.top += size;
    this.high = Math.max(this.high, this.top);
    return offset;
  }

  release(offset: number, size: number): void {
    if (size === 0) return;
    let i = 0;
    while (i < this.free.length && this.free[i]!.offset < offset) i++;
    this.free.splice(i, 0, { offset, size });
    // Merge with the following block, then with the preceding one.
    const next = this.free[i + 1];
    if (next !== undefined && offset + size === next.offset) {
      this.free[i]!.size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev !== undefined && prev.offset + prev.size === offset) {
      prev.size += this.free[i]!.size;
      this.free.splice(i, 1);
      i--;
    }
    // A free block that reaches the top shrinks the used area instead.
    const last = this.free[this.free.length - 1];
    if (last !== undefined && last.offset + last.size === this.top) {
      this.top = last.offset;
      this.free.pop();
    }
  }
}
