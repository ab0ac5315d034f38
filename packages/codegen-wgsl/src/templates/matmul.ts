// matmul anchors as GEMM: operands are index → value functions over [...batch, m, k] and
// [...batch, k, n] (so transposed or broadcast operands fold into the loads); operands that are
// plain f32 kernel inputs with a contiguous dim divisible by 4 are read as vec4 in tiled variants,
// and so are transposes (of the last two dims) of such inputs, along the dim stored contiguously
// (the backward pass's Xᵀ·dY and dY·Wᵀ read X and W in place, never materialized).

import { elementAt, numel, type NodeOf, type ValueId } from '@kiln/ir';
import type { KernelEmitter } from '../kernel-emitter.js';
import type { DeviceLimits } from '../limits.js';
import { storageType } from '../wgsl-types.js';
import type { TemplateResult } from './common.js';
import { chooseGemmVariant, gemmTemplate, resolveGemmSchedule, type GemmVariant } from './gemm.js';
import type { GemmSchedule } from './gemm-schedule.js';

/**
 * The operand's source when it is a transpose of its last two dims (batch dims kept), with the
 * source's kernel input number when that source is an input read at plain indices.
 */
function transposedSource(em: KernelEmitter, v: ValueId): { readonly input: number | undefined } | undefined {
  const node = em.index.producers.get(v);
  if (node?.op !== 'transpose') return undefined;
  const perm = node.attrs.perm;
  const r = perm.length;
  if (r < 2 || perm[r - 1] !== r - 2 || perm[r - 2] !== r - 1 || !perm.slice(0, r - 2).every((p, i) => p === i)) return undefined;
  const src = node.operands[0];
  const input = src === undefined ? undefined : em.inputNumber(src);
  // An input placed in the output's bytes is read through the output binding, never as vec4.
  return { input: input !== undefined && !em.aliasing.fromOutput.has(input) ? input : undefined };
}

export function matmulTemplate(em: KernelEmitter, anchor: NodeOf<'matmul'>, limits: DeviceLimits, variant?: GemmVariant | GemmSchedule): TemplateResult {
  const [a, b] = anchor.operands as [number, number];
  const aShape = em.typeOf(a).shape;
  const bShape = em.typeOf(b).shape;
  const r = aShape.length;
  const m = elementAt(aShape, r - 2, 'matmul lhs shape (rank >= 2)');
  const k = elementAt(aShape, r - 1, 'matmul lhs shape (rank >= 2)');
  const n = elementAt(bShape, r - 1, 'matmul rhs shape (rank >= 2)');
  const batch = numel(aShape.slice(0, r - 2));
  const chosen = variant ?? chooseGemmVariant({ m, n, k });
  const dtype = storageType(anchor.type.dtype);
  const schedule = resolveGemmSchedule(chosen, n, limits);
  const tiled = schedule.kind === 'tiled' && schedule.vec4;
  const aInput = em.inputNumber(a);
  const bInput = em.inputNumber(b);
  const a4 = tiled && dtype === 'f32' && aInput !== undefined && !em.aliasing.fromOutput.has(aInput) && k % 4 === 0;
  const b4 = tiled && dtype === 'f32' && bInput !== undefined && !em.aliasing.fromOutput.has(bInput) && n % 4 === 0;
  const aT = transposedSource(em, a);
  const bT = transposedSource(em, b);
  // Aᵀ stored [k, m] is contiguous in m; Bᵀ stored [n, k] in k.
  const a4t = tiled && dtype === 'f32' && aT?.input !== undefined && m % 4 === 0 ? aT.input : undefined;
  const b4t = tiled && dtype === 'f32' && bT?.input !== undefined && k % 4 === 0 ? bT.input : undefined;
  // vec4 declarations must be decided before any value function reads these inputs.
  if (a4) em.vec4Inputs.add(aInput);
  if (b4) em.vec4Inputs.add(bInput);
  if (a4t !== undefined) em.vec4Inputs.add(a4t);
  if (b4t !== undefined) em.vec4Inputs.add(b4t);
  const aIdx = `b * ${m * k}u + m * ${k}u + k`;
  const bIdx = `b * ${k * n}u + k * ${n}u + n`;
  // Where the transposes' sources hold A[m, k] and B[k, n].
  const aSrcIdx = `b * ${m * k}u + k * ${m}u + m`;
  const bSrcIdx = `b * ${k * n}u + n * ${k}u + k`;
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
      ...(aT !== undefined ? { aTransposed: true } : {}),
      ...(bT !== undefined ? { bTransposed: true } : {}),
      ...(a4t !== undefined ? { a4tBody: `  return ${em.inputVec4(a4t, `(${aSrcIdx}) >> 2u`)};` } : {}),
      ...(b4t !== undefined ? { b4tBody: `  return ${em.inputVec4(b4t, `(${bSrcIdx}) >> 2u`)};` } : {}),
    },
    limits,
    chosen,
  );
}
