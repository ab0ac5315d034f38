// The WebGPU StateStore: one GPU buffer per slot, on one device. Executables compiled against it
// bind these buffers as their state inputs' storage (see compile-plan.ts), so parameters and
// optimizer slots are never copied between graphs that share them. Each slot also keeps the last
// value that crossed between host and device, the copy that survives losing the device.

import { KilnError, type TensorType } from '@kiln/ir';
import type { HostInput, HostTensor } from '@kiln/ir';
import { StateStoreBase, type StateSlot, type StateStore } from '../state-store.js';
import { createValueBuffer, type BufferSlice } from './compile-plan.js';
import type { WebGpuDeviceInfo } from './device.js';
import { BufferUsage, MapMode } from './gpu-consts.js';
import { watchFor, type GpuErrorWatch } from './errors.js';
import { bufferBytes, downloadTensor, uploadWords } from './host-transfer.js';

export class GpuStateStore extends StateStoreBase implements StateStore {
  readonly backend = 'webgpu' as const;
  private readonly buffers = new Map<StateSlot, GPUBuffer>();
  /** Per slot: the last value uploaded (allocate, write) or downloaded (read), and which it was. */
  private readonly mirrors = new Map<StateSlot, HostTensor>();
  private readonly watch: GpuErrorWatch;
  /** Allocation outcomes not yet seen by a read or write. */
  private readonly failures = new Map<StateSlot, Promise<void>>();

  constructor(readonly info: WebGpuDeviceInfo) {
    super();
    this.watch = watchFor(info.device);
  }

  /** True once the device is lost: reads and writes fail, hostCopy() still answers. */
  get lost(): boolean {
    return this.watch.isLost;
  }

  /** Throws the device-lost KilnError when the device is lost. */
  throwIfLost(): void {
    this.watch.throwIfLost();
  }

  /**
   * The last value of `slot` that crossed between host and device: its initial value, the last
   * write (checkpoint load, setState) or the last read (checkpoint save, getState). What is left
   * of the slot after device loss; runs since then are not in it.
   */
  hostCopy(slot: StateSlot): HostTensor {
    const m = this.mirrors.get(slot);
    if (m === undefined) throw new KilnError({ message: `state ${slot.label} was freed or belongs to another store` });
    return { type: { dtype: m.type.dtype, shape: [...m.type.shape] }, data: m.data.slice() };
  }

  allocate(type: TensorType, label: string, initial: HostInput): StateSlot {
    const words = uploadWords(initial, type, label);
    const max = Math.min(this.info.device.limits.maxBufferSize, this.info.limits.maxStorageBufferBindingSize);
    if (bufferBytes(type) > max)
      throw new KilnError({ message: `${label} needs ${bufferBytes(type)} bytes of GPU memory, more than this device allows in one buffer (${max} bytes on ${this.info.description})` });
    this.watch.throwIfLost();
    const slot: StateSlot = { id: this.nextId++, type: { dtype: type.dtype, shape: [...type.shape] }, label };
    this.watch.push();
    let buffer: GPUBuffer;
    try {
      buffer = createValueBuffer(this.info.device, type, label);
      this.info.device.queue.writeBuffer(buffer, 0, words);
    } catch (e) {
      void this.watch.pop(`allocating ${label}`).catch(() => undefined);
      throw this.watch.asKilnError(e, `allocating ${label}`);
    }
    // allocate is synchronous: an allocation failure surfaces on the next read or write of the slot.
    const popped = this.watch.pop(`allocating ${label}`);
    this.failures.set(slot, popped);
    popped.catch(() => undefined);
    this.buffers.set(slot, buffer);
    this.mirrors.set(slot, { type: slot.type, data: words.slice() });
    this.counts.allocations++;
    return slot;
  }

  read(slot: StateSlot): Promise<HostTensor> {
    return this.serialize(async () => {
      const src = this.slice(slot);
      await this.allocated(slot);
      this.watch.throwIfLost();
      const device = this.info.device;
      this.watch.push();
      const rb = device.createBuffer({ label: `read ${slot.label}`, size: src.size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
      try {
        const enc = device.createCommandEncoder();
        enc.copyBufferToBuffer(src.buffer, 0, rb, 0, src.size);
        device.queue.submit([enc.finish()]);
        await this.watch.pop(`reading ${slot.label}`);
        try {
          await rb.mapAsync(MapMode.READ);
        } catch (e) {
          throw this.watch.asKilnError(e, `reading ${slot.label}`);
        }
        this.counts.reads++;
        const t = downloadTensor(rb.getMappedRange(), slot.type);
        this.mirrors.set(slot, { type: t.type, data: t.data.slice() });
        return t;
      } finally {
        rb.destroy();
      }
    });
  }

  write(slot: StateSlot, value: HostInput): Promise<void> {
    const words = uploadWords(value, slot.type, slot.label);
    return this.serialize(async () => {
      const dst = this.slice(slot).buffer;
      await this.allocated(slot);
      this.watch.throwIfLost();
      this.watch.push();
      this.info.device.queue.writeBuffer(dst, 0, words);
      await this.watch.pop(`writing ${slot.label}`);
      this.counts.writes++;
      this.mirrors.set(slot, { type: slot.type, data: words.slice() });
    });
  }

  /** Resolves once the slot's allocation is known good; rejects (once per caller) with its failure. */
  private async allocated(slot: StateSlot): Promise<void> {
    const p = this.failures.get(slot);
    if (p === undefined) return;
    await p;
    this.failures.delete(slot);
  }

  free(slot: StateSlot): void {
    const b = this.buffers.get(slot);
    if (b === undefined) return;
    this.buffers.delete(slot);
    this.mirrors.delete(slot);
    this.failures.delete(slot);
    // After the work queued so far: a run already submitted may still read it.
    void this.serialize(async () => b.destroy());
  }

  owns(slot: StateSlot): boolean {
    return this.buffers.has(slot);
  }

  /** The slot's whole buffer, for binding. */
  slice(slot: StateSlot): BufferSlice {
    const b = this.buffers.get(slot);
    if (b === undefined) throw new KilnError({ message: `state ${slot.label} was freed or belongs to another store` });
    return { buffer: b, offset: 0, size: bufferBytes(slot.type) };
  }

  protected liveCount(): number {
    return this.buffers.size;
  }
}
