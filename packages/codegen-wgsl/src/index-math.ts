// Strided index arithmetic: how a layout op (or a template) turns a flat row-major index of one
// shape into a flat index of another as WGSL u32 expressions, collapsing mergeable dims so the
// common cases (contiguous, broadcast of a suffix) cost one or two divisions.

import { elementAt, stridesOf, type Shape } from '@kiln/ir';
import { divisorLit, u32Lit } from './wgsl-types.js';

interface Dim {
  size: number;
  stride: number;
}

/** Drops size-1 dims and merges neighbours whose strides chain (stride_d = stride_{d+1}·size_{d+1}). */
export function collapseDims(shape: Shape, strides: readonly number[]): Dim[] {
  const dims: Dim[] = [];
  shape.forEach((size, d) => {
    if (size === 1) return;
    const stride = elementAt(strides, d, 'collapseDims strides');
    const prev = dims[dims.length - 1];
    if (prev !== undefined && prev.stride === stride * size) {
      prev.size *= size;
      prev.stride = stride;
    } else dims.push({ size, stride });
  });
  return dims;
}

/**
 * WGSL u32 expression for offset + Σ_d coord_d(idx)·strides[d], where coord_d are the row-major
 * coordinates of `idx` in `shape`. Assumes idx < numel(shape) (the outermost dim needs no modulo).
 */
export function stridedIndex(shape: Shape, strides: readonly number[], offset: number, idx: string): string {
  const dims = collapseDims(shape, strides);
  const terms: string[] = [];
  let inner = 1;
  for (let k = dims.length - 1; k >= 0; k--) {
    const { size, stride } = dims[k]!;
    if (stride !== 0) {
      let coord = inner === 1 ? idx : `(${idx} / ${divisorLit(inner)})`;
      if (k > 0) coord = `(${coord} % ${divisorLit(size)})`;
      terms.push(stride === 1 ? coord : `${coord} * ${u32Lit(stride)}`);
    }
    inner *= size;
  }
  if (offset !== 0 || terms.length === 0) terms.push(u32Lit(offset));
  return terms.length === 1 ? terms[0]! : `(${terms.reverse().join(' + ')})`;
}

/** WGSL u32 expression for coordinate `d` of flat `idx` in `shape` (row-major). */
export function coordOf(shape: Shape, d: number, idx: string): string {
  const size = elementAt(shape, d, 'coordOf shape');
  if (size === 1) return '0u';
  const inner = elementAt(stridesOf(shape), d, 'coordOf strides');
  let coord = inner === 1 ? idx : `(${idx} / ${divisorLit(inner)})`;
  const outerAllOne = shape.slice(0, d).every((s) => s === 1);
  if (!outerAllOne) coord = `(${coord} % ${divisorLit(size)})`;
  return coord;
}

/** Flat row-major index expression from per-dim coordinate expressions. */
export function flatIndex(shape: Shape, coords: readonly string[]): string {
  const strides = stridesOf(shape);
  const terms: string[] = [];
  shape.forEach((size, d) => {
    if (size === 1) return;
    const s = elementAt(strides, d, 'flatIndex strides');
    const c = elementAt(coords, d, 'flatIndex coords');
    terms.push(s === 1 ? c : `${c} * ${u32Lit(s)}`);
  });
  if (terms.length === 0) return '0u';
  return terms.length === 1 ? terms[0]! : `(${terms.join(' + ')})`;
}

/** Effective per-dim source strides of a broadcast (0 for new dims and expanded size-1 dims). */
export function broadcastStrides(inShape: Shape, dims: readonly number[], outRank: number): number[] {
  const inStrides = stridesOf(inShape);
  const out = new Array<number>(outRank).fill(0);
  dims.forEach((d, i) => {
    out[d] = inShape[i] === 1 ? 0 : elementAt(inStrides, i, 'broadcast operand strides');
  });
  return out;
}

/** Effective per-dim source strides of a transpose. */
export function transposeStrides(inShape: Shape, perm: readonly number[]): number[] {
  const inStrides = stridesOf(inShape);
  return perm.map((p) => elementAt(inStrides, p, 'transpose operand strides'));
}

/** True when the strided map sends every flat index to itself (a reshape in disguise). */
export function isIdentityMap(shape: Shape, strides: readonly number[], offset = 0): boolean {
  if (offset !== 0) return false;
  const own = stridesOf(shape);
  return shape.every((size, d) => size === 1 || strides[d] === own[d]);
}
