// generateKernel: one fused kernel → WGSL. Classifies the body (@kiln/ir classifyKernel),
// checks how anchor results flow to the output, picks the template for the class and anchor op,
// and assembles the module with its binding plan and dispatch grid.

import { KilnError, classifyKernel, opDefErased, type Graph, type Node, type SingleAnchorOp } from '@kiln/ir';
import { anchorFlow } from './anchor-flow.js';
import { assemble } from './assemble.js';
import type { GeneratedKernel } from './generated-kernel.js';
import { KernelEmitter, NO_ALIASING, type KernelAliasing } from './kernel-emitter.js';
import type { DeviceLimits } from './limits.js';
import type { TemplateResult } from './templates/common.js';
import { convTemplate } from './templates/conv.js';
import { elementwiseTemplate } from './templates/elementwise.js';
import type { ElementwiseSchedule } from './templates/elementwise-schedule.js';
import { gatherTemplate, scatterAddTemplate } from './templates/gather.js';
import type { GemmVariant } from './templates/gemm.js';
import type { GemmSchedule } from './templates/gemm-schedule.js';
import { matmulTemplate } from './templates/matmul.js';
import { isReduceNode, reductionTemplate, type ReductionVariant } from './templates/reduction.js';
import { rowTemplate } from './templates/row.js';
import { reduceWindowTemplate, selectAndScatterTemplate } from './templates/window.js';

export interface GenerateOptions {
  /** Force a reduction variant (default: chosen by size). */
  readonly reduction?: ReductionVariant;
  /** Force a matmul/conv variant or any legal schedule (default: a variant chosen by shape). */
  readonly gemm?: GemmVariant | GemmSchedule;
  /** Workgroup size of tree reductions (default 256 for 1024+ reduced elements, else 64; capped by the limits). */
  readonly reductionWorkgroupSize?: number;
  /** Workgroup size of row kernels (default 256 for rows over 512, else 64; capped by the limits). */
  readonly rowWorkgroupSize?: number;
  /** Workgroup size of elementwise kernels under the default schedule (default 256 for vec4 kernels, else 64; capped by the limits). */
  readonly elementwiseWorkgroupSize?: number;
  /** Force an elementwise schedule (default: defaultElementwiseSchedule). */
  readonly elementwise?: ElementwiseSchedule;
  /**
   * The adapter emulates a GPU on the CPU (llvmpipe, SwiftShader, lavapipe), so the defaults change:
   * it runs each workgroup barrier over every lane in turn — row kernels (softmax, layer_norm) run
   * ~3× faster there with 16 lanes than with 256 (llvmpipe, bench W3), tree reductions likewise —
   * and its lanes load per lane, so elementwise kernels take blocked runs (defaultElementwiseSchedule).
   * Explicit workgroup sizes and schedules above still win.
   */
  readonly softwareAdapter?: boolean;
  /** The device has the 'subgroups' feature (reductions then use subgroup operations). */
  readonly subgroups?: boolean;
}

export function generateKernel(kernel: Graph, limits: DeviceLimits, opts: GenerateOptions = {}, aliasing: KernelAliasing = NO_ALIASING): GeneratedKernel {
  const result = classifyKernel(kernel);
  if (!result.ok) throw new KilnError({ message: result.reason });
  const cls = result.cls;
  const em = new KernelEmitter(kernel, aliasing, opts.subgroups === true);
  const out = kernel.outputs[0]!.value;
  const softwareBarrierWorkgroup = opts.softwareAdapter === true ? 16 : undefined;
  const elementwise = (): TemplateResult =>
    elementwiseTemplate(em, limits, opts.elementwise, {
      ...(opts.elementwiseWorkgroupSize !== undefined ? { workgroup: opts.elementwiseWorkgroupSize } : {}),
      ...(opts.softwareAdapter === true ? { software: true } : {}),
    });
  let t: TemplateResult;
  switch (cls.kind) {
    case 'elementwise':
      t = elementwise();
      break;
    case 'reduction': {
      const anchor = cls.anchor;
      if (!isReduceNode(anchor)) throw em.error(anchor, 'not a reduction');
      // An anchor the output does not depend on is dead: the body is then plain elementwise.
      t = anchorFlow(em).has(out) ? reductionTemplate(em, anchor, limits, opts.reduction, opts.reductionWorkgroupSize ?? softwareBarrierWorkgroup) : elementwise();
      break;
    }
    case 'row': {
      const classes = anchorFlow(em, cls.rowLength);
      t = rowTemplate(em, cls.reductions, cls.rowLength, classes, limits, opts.rowWorkgroupSize ?? softwareBarrierWorkgroup);
      break;
    }
    case 'matmul': {
      const anchor = cls.anchor;
      if (anchor.op !== 'matmul') throw em.error(anchor, 'not a matmul');
      t = anchorFlow(em).has(out) ? matmulTemplate(em, anchor, limits, opts.gemm) : elementwise();
      break;
    }
    case 'conv': {
      const anchor = cls.anchor;
      if (anchor.op !== 'conv') throw em.error(anchor, 'not a conv');
      t = anchorFlow(em).has(out) ? convTemplate(em, anchor, limits, opts.gemm) : elementwise();
      break;
    }
    case 'single':
      t = singleTemplate(em, cls.anchor, limits);
      break;
    default: {
      const never: never = cls;
      return never;
    }
  }
  return assemble(em, cls.kind, t, limits);
}

/** The single-anchor ops by the registry's fusion class (window, gather, scatter). */
function isSingleAnchor(n: Node): n is Extract<Node, { readonly op: SingleAnchorOp }> {
  const f = opDefErased(n.op).fusion;
  return f === 'window' || f === 'gather' || f === 'scatter';
}

function singleTemplate(em: KernelEmitter, anchor: Node, limits: DeviceLimits): TemplateResult {
  // classifyKernel only names a 'single' anchor of these fusion classes.
  if (!isSingleAnchor(anchor)) throw em.error(anchor, `internal: classifyKernel named ${anchor.op} a single-anchor op`);
  // Total over SingleAnchorOp (derived from the registry): a new window/gather/scatter op fails to
  // typecheck here until it has a template.
  switch (anchor.op) {
    case 'reduce_window':
      return reduceWindowTemplate(em, anchor, limits);
    case 'select_and_scatter_add':
      return selectAndScatterTemplate(em, anchor, limits);
    case 'gather':
      return gatherTemplate(em, anchor, limits);
    case 'scatter_add':
      return scatterAddTemplate(em, anchor, limits);
    default: {
      const never: never = anchor;
      return never;
    }
  }
}
