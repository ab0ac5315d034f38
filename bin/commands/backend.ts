// CLI backend selection for `kiln run` / `kiln run-parity`: --backend, else KILN_BACKEND, else the
// command's default. 'auto' follows the runtime's device policy (a WebGPU adapter — hardware, else
// Dawn OpenGL ES on llvmpipe — else the CPU interpreter) and the result says which and why.

import { BACKEND_CHOICES, type BackendChoice } from '@kiln/frontend';
import { createCpuBackend, createWebGpuBackend, requestWebGpuDevice, type Backend, type WebGpuDeviceInfo } from '@kiln/runtime';
import { UsageError } from './usage.js';

export interface BackendRequest {
  readonly choice: BackendChoice;
  /** Where the choice came from, for the report: "--backend webgpu", "KILN_BACKEND=auto", "default cpu". */
  readonly source: string;
}

function parseChoice(text: string, where: string): BackendChoice {
  if ((BACKEND_CHOICES as readonly string[]).includes(text)) return text as BackendChoice;
  throw new UsageError(`${where} must be one of ${BACKEND_CHOICES.join(', ')}, got '${text}'`);
}

/** The flag wins over the environment (as usual for command lines); KILN_BACKEND applies only without --backend. */
export function requestedBackend(flag: string | undefined, fallback: BackendChoice): BackendRequest {
  if (flag !== undefined) return { choice: parseChoice(flag, '--backend'), source: `--backend ${flag}` };
  const env = process.env['KILN_BACKEND'];
  if (env !== undefined && env !== '') return { choice: parseChoice(env, 'KILN_BACKEND'), source: `KILN_BACKEND=${env}` };
  return { choice: fallback, source: `default ${fallback}` };
}

export interface ResolvedBackend {
  readonly name: 'cpu' | 'webgpu';
  readonly backend: Backend;
  /** The device, for WebGPU (destroyed by `release`). */
  readonly device: WebGpuDeviceInfo | undefined;
  /** One line: the backend, where the choice came from, the adapter and why it was picked. */
  readonly description: string;
}

export function cpuBackend(source: string, why = 'CPU interpreter'): ResolvedBackend {
  return { name: 'cpu', backend: createCpuBackend(), device: undefined, description: `cpu (${source}): ${why}` };
}

/** A WebGPU device by the device policy; throws a KilnError listing what was tried when there is none. */
export async function webGpuBackend(source: string): Promise<ResolvedBackend> {
  const device = await requestWebGpuDevice();
  return { name: 'webgpu', backend: createWebGpuBackend({ device }), device, description: `webgpu (${source}): ${device.description}; ${device.reason}` };
}

export async function resolveBackend(req: BackendRequest): Promise<ResolvedBackend> {
  switch (req.choice) {
    case 'cpu':
      return cpuBackend(req.source);
    case 'webgpu':
      return webGpuBackend(req.source);
    case 'auto':
      try {
        return await webGpuBackend(req.source);
      } catch (e) {
        return cpuBackend(req.source, `no WebGPU device (${e instanceof Error ? e.message : String(e)}); using the CPU interpreter`);
      }
    default: {
      const never: never = req.choice;
      return never;
    }
  }
}

/** Destroys the WebGPU device so that the process can exit promptly. */
export function release(b: ResolvedBackend): void {
  b.device?.device.destroy();
}
