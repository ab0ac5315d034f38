// The elementwise side of the tuner: signatures of elementwise kernels (output dtype, element count
// rounded up to a power of two, whether vec4 can apply, and the ops they compute, since the body
// decides how much work an element is) and the candidate schedules timed for them.

import { fnv1a32, hex32, numel, type Graph } from '@kiln/ir';
import { elementwiseCandidates, type DeviceLimits, type ElementwiseSchedule } from '@kiln/codegen-wgsl';

/** Smaller kernels are not tuned: dispatch overhead dominates them, so timings would rank noise. */
export const MIN_TUNED_ELEMENTS = 4096;

/** Op lists longer than this are summarised by a hash (keys stay short). */
const OPS_SHOWN = 8;

/**
 * e.g. `elementwise f32 n262144 v4 mul,add,tanh,logistic,mul` for a kernel of the elementwise class;
 * undefined for one under MIN_TUNED_ELEMENTS or computing nothing (constants only).
 */
export function elementwiseSignatureKey(kernel: Graph): string | undefined {
  const out = kernel.outputs[0];
  const type = out === undefined ? undefined : (kernel.nodes.find((n) => n.id === out.value)?.type ?? kernel.inputs.find((i) => i.id === out.value)?.type);
  if (type === undefined) return undefined;
  const n = numel(type.shape);
  const ops = kernel.nodes.filter((x) => x.op !== 'constant').map((x) => x.op);
  if (n < MIN_TUNED_ELEMENTS || ops.length === 0) return undefined;
  const bucket = n <= 1 ? n : 2 ** Math.ceil(Math.log2(n));
  const vec4 = type.dtype === 'f32' && n % 4 === 0 ? 'v4' : 'v1';
  const body = ops.length <= OPS_SHOWN ? ops.join(',') : `${ops.slice(0, OPS_SHOWN).join(',')},…#${hex32(fnv1a32(ops.join(',')))}`;
  return `elementwise ${type.dtype} n${bucket} ${vec4} ${body}`;
}

/** The schedules a tuner times for an elementwise kernel (each legal on `limits`). */
export function elementwiseTuneCandidates(mode: 'quick' | 'full', limits: DeviceLimits): ElementwiseSchedule[] {
  return elementwiseCandidates(mode, limits);
}
