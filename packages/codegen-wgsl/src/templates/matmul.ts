// matmul anchors as GEMM: operands are index → value functions over [...batch, m, k] and
// [...batch, k, n] (so transposed or broadcast operands fold into the loads); operands that are
// plain f32 kernel inputs with a contiguous dim divisible by 4 are read as vec4 in tiled variants.

import { numel, type NodeOf } from '@kiln/ir';
import type { KernelEmitter } from '../kernel-emitter.js';
import type { DeviceLimits } from '../limits.js';
import { storageType } from '../wgsl-types.js';
import type { TemplateResult } from './common.js';
import { chooseGemmVariant, gemmTemplate, resolveGemmSchedule, type GemmVariant } from './gemm.js';
import type { GemmSchedule } from './gemm-schedule.js';

export function matmulTemplate(em: KernelEmitter, anchor: NodeOf<'matmul'>, limits: DeviceLimits, variant?: GemmVariant | GemmSchedule): TemplateResult {
  const [a, b] = anchor.operands as [number, number];
  const aShape = em.typeOf(a).shape;
  const bShape = em.typeOf(b).shape;
  const r = aShape.length;
  const m = aShape[r - 2] ?? 1;
  const k = aShape[r - 1] ?? 1;
  const n = bShape[r - 1] ?? 1;
  const batch = numel(aShape.slice(0, r - 2));
  const chosen = variant ?? chooseGemmVariant({ m, n, k });
  const dtype = storageType(anchor.type.dtype);
  const schedule = resolveGemmSchedule(chosen, n, limits);
  const tiled = schedule.kind === 'tiled' && schedule.vec4;
  const aInput = em.inputNumber(a);
  const bInput = em.inputNumber(b);
  const a4 = tiled && dtype === 'f32' && aInput !== undefined && k % 4 === 0;
  const b4 = tiled && dtype === 'f32' && bInput !== undefined && n % 4 === 0;
  // vec4 declarations must be decided before any value function reads these inputs.
  if (a4) em.vec4Inputs.add(aInput);
  if (b4) em.vec4Inputs.add(bInput);
  const aIdx = `b * ${m * k}u + m * ${k}u + k`;
  const bIdx = `b * ${k * n}u + k * ${n}u + n`;
  return gemmTemplate(
    em,
    {
      name: 'matmul',
      anchor: anchor.id,
      batch,
      m,
      n,
      k,
      dtype,
      aBody: `  return ${em.value(a, aIdx)};`,
      bBody: `  return ${em.value(b, bIdx)};`,
      outBody: `  return b * ${m * n}u + m * ${n}u + n;`,
      ...(a4 && aInput !== undefined ? { a4Body: `  return ${em.inputVec4(aInput, `(${aIdx}) >> 2u`)};` } : {}),
      ...(b4 && bInput !== undefined ? { b4Body: `  return ${em.inputVec4(bInput, `(${bIdx}) >> 2u`)};` } : {}),
    },
    limits,
    chosen,
  );
}
