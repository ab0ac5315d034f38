// The WGSL the WebGPU backend generates for a graph, without running it: outlining, buffer
// placement (which sets each kernel's aliasing) and codegen, as in runtime/webgpu/compile-plan.ts.
// Shared by `kiln dump` (kernels/*.wgsl) and `kiln wgsl`.

import type { Graph } from '@kiln/ir';
import { COMPAT_DEFAULT_LIMITS, CORE_DEFAULT_LIMITS, deviceLimitsOf, generateGraph, type DeviceLimits, type GeneratedKernel } from '@kiln/codegen-wgsl';
import { DEFAULT_FUSION_LIMITS, outline, type PassOptions } from '@kiln/passes';
import { isSoftwareAdapter, requestWebGpuDevice } from '@kiln/runtime';
import { UsageError } from './usage.js';

export const LIMITS_CHOICES = ['core', 'compat', 'device'] as const;
export type LimitsChoice = (typeof LIMITS_CHOICES)[number];

/** What codegen is told about the device. */
export interface KernelTarget {
  readonly limits: DeviceLimits;
  readonly subgroups: boolean;
  /** A CPU-emulated adapter: codegen's software defaults (GenerateOptions.softwareAdapter). */
  readonly softwareAdapter: boolean;
  /** One line for file headers: where the limits came from. */
  readonly description: string;
}

export function parseLimitsChoice(text: string | undefined): LimitsChoice {
  if (text === undefined) return 'core';
  if ((LIMITS_CHOICES as readonly string[]).includes(text)) return text as LimitsChoice;
  throw new UsageError(`--limits must be one of ${LIMITS_CHOICES.join(', ')}, got '${text}'`);
}

function formatLimits(l: DeviceLimits): string {
  return `storage buffers ${l.maxStorageBuffersPerShaderStage}, workgroup storage ${l.maxComputeWorkgroupStorageSize} B, invocations ${l.maxComputeInvocationsPerWorkgroup}, workgroup x ${l.maxComputeWorkgroupSizeX}`;
}

/**
 * 'core' and 'compat' need no device: they are the limits every WebGPU core (compatibility-mode)
 * adapter grants, so the WGSL is what the backend generates on a hardware device with exactly those
 * limits and no subgroups. 'device' asks this machine's WebGPU device, as `kiln run --backend webgpu` does.
 */
export async function kernelTarget(choice: LimitsChoice): Promise<KernelTarget> {
  switch (choice) {
    case 'core':
      return {
        limits: CORE_DEFAULT_LIMITS,
        subgroups: false,
        softwareAdapter: false,
        description: `limits: WebGPU core defaults, no device consulted: what the WebGPU backend generates on a GPU granted exactly these (${formatLimits(CORE_DEFAULT_LIMITS)}; no subgroups)`,
      };
    case 'compat':
      return {
        limits: COMPAT_DEFAULT_LIMITS,
        subgroups: false,
        softwareAdapter: false,
        description: `limits: WebGPU compatibility-mode defaults, no device consulted: what the WebGPU backend generates on a GPU granted exactly these (${formatLimits(COMPAT_DEFAULT_LIMITS)}; no subgroups)`,
      };
    case 'device': {
      const info = await requestWebGpuDevice();
      const subgroups = info.device.features.has('subgroups');
      // Copied before the device goes: its limits object dies with it.
      const limits = deviceLimitsOf(info.limits);
      const softwareAdapter = isSoftwareAdapter(info);
      info.device.destroy();
      return {
        limits,
        subgroups,
        softwareAdapter,
        description: `limits: this machine's device, ${info.description} (${formatLimits(limits)}; ${subgroups ? 'subgroups' : 'no subgroups'}${softwareAdapter ? '; software adapter defaults' : ''})`,
      };
    }
    default: {
      const never: never = choice;
      return never;
    }
  }
}

/**
 * The limits the pass pipeline fuses for: WebGPU's guaranteed minimums, as `kiln run` and k.jit fuse
 * (so 'core' and 'device' dump the graph they run), lowered where the target allows less ('compat').
 */
export function fusionOptions(target: KernelTarget): PassOptions {
  return {
    deviceLimits: {
      maxStorageBuffersPerShaderStage: Math.min(DEFAULT_FUSION_LIMITS.maxStorageBuffersPerShaderStage, target.limits.maxStorageBuffersPerShaderStage),
      maxComputeWorkgroupStorageSize: Math.min(DEFAULT_FUSION_LIMITS.maxComputeWorkgroupStorageSize, target.limits.maxComputeWorkgroupStorageSize),
    },
  };
}

/** One dispatch of the compiled graph: the call node, its kernel and the WGSL generated for it. */
export interface KernelDispatch {
  /** 1-based position in dispatch order. */
  readonly index: number;
  readonly callee: string;
  readonly kernel: GeneratedKernel;
}

/**
 * The graph the backend compiles (outlined when not in fused form) and one generated kernel per
 * call node, in dispatch order.
 */
export function generateKernels(graph: Graph, target: KernelTarget): { readonly compiled: Graph; readonly dispatches: readonly KernelDispatch[] } {
  const compiled = outline(graph, { deviceLimits: target.limits });
  // The runtime's own placement and codegen, so the text is what the WebGPU backend would run.
  const { kernels } = generateGraph(compiled, target.limits, { subgroups: target.subgroups, softwareAdapter: target.softwareAdapter });
  const dispatches = compiled.nodes.map((node, s): KernelDispatch => ({ index: s + 1, callee: node.op === 'call' ? node.attrs.callee : node.op, kernel: kernels[s]! }));
  return { compiled, dispatches };
}

/** The file name of a dispatch's WGSL: `<NN>-<kernel>.wgsl`, numbered wide enough to sort. */
export function kernelFileName(d: KernelDispatch, count: number): string {
  const width = Math.max(2, String(count).length);
  return `${String(d.index).padStart(width, '0')}-${d.callee.replace(/[^A-Za-z0-9_.-]/g, '_')}.wgsl`;
}

/** A dispatch's WGSL as written and printed: a short header (source, limits), then codegen's text unchanged. */
export function kernelText(d: KernelDispatch, count: number, source: string, target: KernelTarget): string {
  const k = d.kernel;
  return [
    `// kiln: dispatch ${d.index} of ${count} of ${source}; workgroups [${k.workgroups.join(',')}] of [${k.workgroupSize.join(',')}]${k.zeroOutput ? '; output zeroed first' : ''}`,
    `// kiln: ${target.description}`,
    k.wgsl,
  ].join('\n');
}
