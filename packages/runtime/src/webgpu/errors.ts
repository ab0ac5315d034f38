// GPU errors as KilnErrors: validation and out-of-memory errors caught with error scopes around
// compile and each run, uncaptured errors remembered, and device loss reported on the next call.

import { KilnError } from '@kiln/ir';

export class GpuErrorWatch {
  private lost: string | undefined;
  private uncaptured: string[] = [];

  constructor(private readonly device: GPUDevice) {
    device.lost.then(
      (info) => {
        this.lost = `${info.reason}: ${info.message}`;
      },
      () => undefined,
    );
    device.addEventListener('uncapturederror', (ev) => {
      this.uncaptured.push((ev as GPUUncapturedErrorEvent).error.message);
    });
  }

  /** Opens validation and out-of-memory scopes (close them with pop). */
  push(): void {
    this.device.pushErrorScope('validation');
    this.device.pushErrorScope('out-of-memory');
  }

  /** Closes the scopes opened by push; throws a KilnError describing what failed while `doing`. */
  async pop(doing: string): Promise<void> {
    const oom = await this.device.popErrorScope();
    const validation = await this.device.popErrorScope();
    if (oom !== null) throw new KilnError({ message: `WebGPU ran out of memory while ${doing}: ${oom.message}` });
    if (validation !== null) throw new KilnError({ message: `WebGPU validation error while ${doing}: ${validation.message}` });
    if (this.uncaptured.length > 0) {
      const msgs = this.uncaptured.splice(0);
      throw new KilnError({ message: `WebGPU error while ${doing}: ${msgs.join('; ')}` });
    }
    this.throwIfLost();
  }

  throwIfLost(): void {
    if (this.lost !== undefined) throw new KilnError({ message: `WebGPU device lost (${this.lost}); create a new backend` });
  }

  asKilnError(e: unknown, doing: string): KilnError {
    if (e instanceof KilnError) return e;
    const why = this.lost !== undefined ? ` (device lost: ${this.lost})` : '';
    return new KilnError({ message: `WebGPU failed while ${doing}: ${e instanceof Error ? e.message : String(e)}${why}` });
  }
}
