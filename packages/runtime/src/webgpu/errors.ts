// GPU errors as KilnErrors: validation and out-of-memory errors caught with error scopes around
// every piece of Kiln's device work, device loss reported on the next call, and compiles on one
// device serialized so no error scope of one step is ever open across another step's work.

import { KilnError } from '@kiln/ir';

export class GpuErrorWatch {
  private lost: string | undefined;
  private uncapturedCount = 0;
  private compiles: Promise<unknown> = Promise.resolve();

  constructor(private readonly device: GPUDevice) {
    device.lost.then(
      (info) => {
        this.lost = `${info.reason}: ${info.message}`;
      },
      () => undefined,
    );
    // Kiln's own work always runs inside error scopes, so an uncaptured error is someone else's
    // (the owner of a caller-provided device, say): counted for diagnostics, never blamed on, or
    // thrown from, an unrelated Kiln step.
    device.addEventListener('uncapturederror', () => {
      this.uncapturedCount++;
    });
  }

  /** Uncaptured errors seen on the device (work outside Kiln's error scopes). */
  get uncapturedErrors(): number {
    return this.uncapturedCount;
  }

  /** True once the device is lost (destroyed, driver reset): nothing on it can run again. */
  get isLost(): boolean {
    return this.lost !== undefined;
  }

  /**
   * Opens validation and out-of-memory scopes. The matching pop must be CALLED before the next
   * await (its result may be awaited later): scopes are a per-device stack shared by every step.
   */
  push(): void {
    this.device.pushErrorScope('validation');
    this.device.pushErrorScope('out-of-memory');
  }

  /** Closes the scopes opened by push (both, synchronously); rejects with a KilnError describing what failed while `doing`. */
  pop(doing: string): Promise<void> {
    // Both pops are issued now, in this tick: awaiting the first before issuing the second would
    // let another step's push land in between and swap the scopes' errors between the two steps.
    const oomP = this.device.popErrorScope();
    const validationP = this.device.popErrorScope();
    return Promise.all([oomP, validationP]).then(
      ([oom, validation]) => {
        if (oom !== null) throw new KilnError({ message: `WebGPU ran out of memory while ${doing}: ${oom.message}` });
        if (validation !== null) throw new KilnError({ message: `WebGPU validation error while ${doing}: ${validation.message}${this.lostNote()}` });
        this.throwIfLost();
      },
      (e: unknown) => {
        throw this.asKilnError(e, doing);
      },
    );
  }

  /** Runs `task` (a compile, which keeps its scopes open across awaits) after the compiles before it on this device. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.compiles.then(task, task);
    this.compiles = next.catch(() => undefined);
    return next;
  }

  throwIfLost(): void {
    if (this.lost !== undefined)
      throw new KilnError({
        message: `WebGPU device lost (${this.lost}): its buffers and state are gone; the next k.jit call rebuilds on a new device from the last host copy of each variable (its last checkpoint save/load, read or write), and a k.compile step can be rebuilt with step.recover()`,
      });
  }

  asKilnError(e: unknown, doing: string): KilnError {
    if (e instanceof KilnError) return e;
    return new KilnError({ message: `WebGPU failed while ${doing}: ${e instanceof Error ? e.message : String(e)}${this.lostNote()}` });
  }

  private lostNote(): string {
    return this.lost !== undefined ? ` (device lost: ${this.lost})` : '';
  }
}

const watches = new WeakMap<GPUDevice, GpuErrorWatch>();

/** The one watch of `device` (its lost promise and uncaptured-error listener are attached once). */
export function watchFor(device: GPUDevice): GpuErrorWatch {
  let w = watches.get(device);
  if (w === undefined) {
    w = new GpuErrorWatch(device);
    watches.set(device, w);
  }
  return w;
}
