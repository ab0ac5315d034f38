// The WebGPU StateStore: one GPU buffer per slot, on one device. Executables compiled against it
// bind these buffers as their state inputs' storage (see compile-plan.ts), so parameters and
// optimizer slots are never copied between graphs that share them.

import { KilnError, type TensorType } from '@kiln/ir';
import type { HostInput, HostTensor } from '@kiln/ir';
import { StateStoreBase, type StateSlot, type StateStore } from '../state-store.js';
import { createValueBuffer, type BufferSlice } from './compile-plan.js';
import type { WebGpuDeviceInfo } from './device.js';
import { BufferUsage, MapMode } from './gpu-consts.js';
import { bufferBytes, downloadTensor, uploadWords } from './host-transfer.js';

export class GpuStateStore extends StateStoreBase implements StateStore {
  readonly backend = 'webgpu' as const;
  private readonly buffers = new Map<StateSlot, GPUBuffer>();

  constructor(readonly info: WebGpuDeviceInfo) {
    super();
  }

  allocate(type: TensorType, label: string, initial: HostInput): StateSlot {
    const words = uploadWords(initial, type, label);
    const max = Math.min(this.info.device.limits.maxBufferSize, this.info.limits.maxStorageBufferBindingSize);
    if (bufferBytes(type) > max)
      throw new KilnError({ message: `${label} needs ${bufferBytes(type)} bytes of GPU memory, more than this device allows in one buffer (${max} bytes on ${this.info.description})` });
    const slot: StateSlot = { id: this.nextId++, type: { dtype: type.dtype, shape: [...type.shape] }, label };
    const buffer = createValueBuffer(this.info.device, type, label);
    this.info.device.queue.writeBuffer(buffer, 0, words);
    this.buffers.set(slot, buffer);
    this.counts.allocations++;
    return slot;
  }

  read(slot: StateSlot): Promise<HostTensor> {
    return this.serialize(async () => {
      const src = this.slice(slot);
      const device = this.info.device;
      const rb = device.createBuffer({ label: `read ${slot.label}`, size: src.size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
      try {
        const enc = device.createCommandEncoder();
        enc.copyBufferToBuffer(src.buffer, 0, rb, 0, src.size);
        device.queue.submit([enc.finish()]);
        await rb.mapAsync(MapMode.READ);
        this.counts.reads++;
        return downloadTensor(rb.getMappedRange(), slot.type);
      } finally {
        rb.destroy();
      }
    });
  }

  write(slot: StateSlot, value: HostInput): Promise<void> {
    const words = uploadWords(value, slot.type, slot.label);
    return this.serialize(async () => {
      this.info.device.queue.writeBuffer(this.slice(slot).buffer, 0, words);
      this.counts.writes++;
    });
  }

  free(slot: StateSlot): void {
    const b = this.buffers.get(slot);
    if (b === undefined) return;
    this.buffers.delete(slot);
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
