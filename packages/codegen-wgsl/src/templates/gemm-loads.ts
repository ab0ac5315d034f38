// The tiled GEMM template's tile loaders (gemm.ts): how each K step fills workgroup memory with
// TM×TK of A and TK×TN of B — scalar or vec4 reads, in the operand's stored order (plain,
// transposed in place), or row-hoisted for conv (row addressing decoded once, taps as vec4).

import { literal } from '../wgsl-types.js';
import type { GemmSpec } from './gemm-spec.js';
import type { TiledGemmSchedule } from './gemm-schedule.js';

export interface TileLoads {
  /** Statements before the K loop (row decodes). */
  readonly setup: string;
  readonly loadA: string;
  readonly loadB: string;
  /** The spec with the load functions the loaders do not call removed (they are not emitted). */
  readonly used: GemmSpec;
}

/** The loaders of a K step for `spec` under the tiled schedule `tl` with `threads` invocations. */
export function tileLoads(spec: GemmSpec, tl: TiledGemmSchedule, threads: number): TileLoads {
  const zero = literal(spec.dtype, 0);
  const useA4 = tl.vec4 && spec.a4Body !== undefined;
  const useB4 = tl.vec4 && spec.b4Body !== undefined;
  const useA4T = tl.vec4 && !useA4 && spec.a4tBody !== undefined && spec.m % 4 === 0;
  const useB4T = tl.vec4 && !useB4 && spec.b4tBody !== undefined && spec.k % 4 === 0;
  const rowLoad = useA4 || useA4T ? undefined : rowHoistedLoadA(spec, tl, threads);
  const loadA =
    rowLoad !== undefined
      ? rowLoad.load
      : useA4T
        ? // A stored [k, m]: four rows of one k are one vec4 of the source and one vec4 of the tile.
          `  for (var e = lid; e < ${(tl.tm * tl.tk) / 4}u; e = e + ${threads}u) {
      let kk = e / ${tl.tm / 4}u;
      let mm = (e % ${tl.tm / 4}u) * 4u;
      let m = m0 + mm;
      let k = k0 + kk;
      var a = vec4<${spec.dtype}>(${zero});
      if (m < ${spec.m}u && k < ${spec.k}u) { a = gemm_a4t(b, m, k); }
      tile_a[(kk * ${tl.tm}u + mm) >> 2u] = a;
    }`
        : spec.aTransposed === true && !useA4
          ? // A stored [k, m]: consecutive invocations read consecutive m.
            `  for (var e = lid; e < ${tl.tm * tl.tk}u; e = e + ${threads}u) {
      let kk = e / ${tl.tm}u;
      let mm = e % ${tl.tm}u;
      let m = m0 + mm;
      let k = k0 + kk;
      var a: ${spec.dtype} = ${zero};
      if (m < ${spec.m}u && k < ${spec.k}u) { a = gemm_a(b, m, k); }
      tile_a[(kk * ${tl.tm}u + mm) >> 2u][(kk * ${tl.tm}u + mm) & 3u] = a;
    }`
          : useA4
            ? `  for (var e = lid; e < ${(tl.tm * tl.tk) / 4}u; e = e + ${threads}u) {
      let mm = e / ${tl.tk / 4}u;
      let kk = (e % ${tl.tk / 4}u) * 4u;
      let m = m0 + mm;
      let k = k0 + kk;
      var a = vec4<${spec.dtype}>(${zero});
      if (m < ${spec.m}u && k < ${spec.k}u) { a = gemm_a4(b, m, k); }
      tile_a[(kk * ${tl.tm}u + mm) >> 2u][(kk * ${tl.tm}u + mm) & 3u] = a.x;
      tile_a[((kk + 1u) * ${tl.tm}u + mm) >> 2u][((kk + 1u) * ${tl.tm}u + mm) & 3u] = a.y;
      tile_a[((kk + 2u) * ${tl.tm}u + mm) >> 2u][((kk + 2u) * ${tl.tm}u + mm) & 3u] = a.z;
      tile_a[((kk + 3u) * ${tl.tm}u + mm) >> 2u][((kk + 3u) * ${tl.tm}u + mm) & 3u] = a.w;
    }`
            : `  for (var e = lid; e < ${tl.tm * tl.tk}u; e = e + ${threads}u) {
      let mm = e / ${tl.tk}u;
      let kk = e % ${tl.tk}u;
      let m = m0 + mm;
      let k = k0 + kk;
      var a: ${spec.dtype} = ${zero};
      if (m < ${spec.m}u && k < ${spec.k}u) { a = gemm_a(b, m, k); }
      tile_a[(kk * ${tl.tm}u + mm) >> 2u][(kk * ${tl.tm}u + mm) & 3u] = a;
    }`;
  const loadB = useB4T
    ? // B stored [n, k]: four k of one column are one vec4 of the source, four lanes of the tile.
      `  for (var e = lid; e < ${(tl.tk * tl.tn) / 4}u; e = e + ${threads}u) {
      let nn = e / ${tl.tk / 4}u;
      let kk = (e % ${tl.tk / 4}u) * 4u;
      let k = k0 + kk;
      let n = n0 + nn;
      var v = vec4<${spec.dtype}>(${zero});
      if (k < ${spec.k}u && n < ${spec.n}u) { v = gemm_b4t(b, k, n); }
      tile_b[(kk * ${tl.tn}u + nn) >> 2u][(kk * ${tl.tn}u + nn) & 3u] = v.x;
      tile_b[((kk + 1u) * ${tl.tn}u + nn) >> 2u][((kk + 1u) * ${tl.tn}u + nn) & 3u] = v.y;
      tile_b[((kk + 2u) * ${tl.tn}u + nn) >> 2u][((kk + 2u) * ${tl.tn}u + nn) & 3u] = v.z;
      tile_b[((kk + 3u) * ${tl.tn}u + nn) >> 2u][((kk + 3u) * ${tl.tn}u + nn) & 3u] = v.w;
    }`
    : spec.bTransposed === true && !useB4
      ? // B stored [n, k]: consecutive invocations read consecutive k.
        `  for (var e = lid; e < ${tl.tk * tl.tn}u; e = e + ${threads}u) {
      let nn = e / ${tl.tk}u;
      let kk = e % ${tl.tk}u;
      let k = k0 + kk;
      let n = n0 + nn;
      var v: ${spec.dtype} = ${zero};
      if (k < ${spec.k}u && n < ${spec.n}u) { v = gemm_b(b, k, n); }
      tile_b[(kk * ${tl.tn}u + nn) >> 2u][(kk * ${tl.tn}u + nn) & 3u] = v;
    }`
      : useB4
        ? `  for (var e = lid; e < ${(tl.tk * tl.tn) / 4}u; e = e + ${threads}u) {
      let kk = e / ${tl.tn / 4}u;
      let nn = (e % ${tl.tn / 4}u) * 4u;
      let k = k0 + kk;
      let n = n0 + nn;
      var v = vec4<${spec.dtype}>(${zero});
      if (k < ${spec.k}u && n < ${spec.n}u) { v = gemm_b4(b, k, n); }
      tile_b[(kk * ${tl.tn}u + nn) >> 2u] = v;
    }`
        : `  for (var e = lid; e < ${tl.tk * tl.tn}u; e = e + ${threads}u) {
      let kk = e / ${tl.tn}u;
      let nn = e % ${tl.tn}u;
      let k = k0 + kk;
      let n = n0 + nn;
      var v: ${spec.dtype} = ${zero};
      if (k < ${spec.k}u && n < ${spec.n}u) { v = gemm_b(b, k, n); }
      tile_b[(kk * ${tl.tn}u + nn) >> 2u][(kk * ${tl.tn}u + nn) & 3u] = v;
    }`;
  const used: GemmSpec = {
    ...spec,
    ...(useA4 ? {} : { a4Body: undefined }),
    ...(useB4 ? {} : { b4Body: undefined }),
    ...(useA4T ? {} : { a4tBody: undefined }),
    ...(useB4T ? {} : { b4tBody: undefined }),
    ...(rowLoad === undefined ? { aRow: undefined } : rowLoad.vec4 || spec.aRow === undefined ? {} : { aRow: { ...spec.aRow, at4Body: undefined } }),
  };
  return { setup: rowLoad?.setup ?? '', loadA, loadB, used };
}

/**
 * The A-tile loader when the spec decodes rows separately: each invocation owns fixed tile rows
 * (decoded once, before the K loop) and walks their K slice, so a conv tap costs a few adds and
 * one bounds check instead of a full position decode. Needs the tile height and the invocation
 * count to divide one another.
 */
function rowHoistedLoadA(spec: GemmSpec, tl: TiledGemmSchedule, threads: number): { setup: string; load: string; vec4: boolean } | undefined {
  if (spec.aRow === undefined) return undefined;
  const zero = literal(spec.dtype, 0);
  // Four K at a time where the spec reads them as one vec4 (k0 and kk stay multiples of 4).
  const vec4 = tl.vec4 && spec.aRow.at4Body !== undefined;
  const w = vec4 ? 4 : 1;
  const row = (mm: string, r: number): string => `  let mrow${r} = m0 + ${mm};\n  let arow${r} = gemm_a_row(b, min(mrow${r}, ${spec.m - 1}u));`;
  const lane = (kk: string, mm: string): string => `tile_a[((${kk}) * ${tl.tm}u + ${mm}) >> 2u][((${kk}) * ${tl.tm}u + ${mm}) & 3u]`;
  const store = (r: number, mm: string): string =>
    vec4
      ? `      var a${r} = vec4<${spec.dtype}>(${zero});\n      if (mrow${r} < ${spec.m}u && k < ${spec.k}u) { a${r} = gemm_a_at4(arow${r}, b, k); }\n` +
        ['x', 'y', 'z', 'w'].map((c, j) => `      ${lane(`kk + ${j}u`, mm)} = a${r}.${c};`).join('\n')
      : `      var a${r}: ${spec.dtype} = ${zero};\n      if (mrow${r} < ${spec.m}u && k < ${spec.k}u) { a${r} = gemm_a_at(arow${r}, b, k); }\n      ${lane('kk', mm)} = a${r};`;
  if (tl.tm % threads === 0) {
    const rows = tl.tm / threads;
    const idx = Array.from({ length: rows }, (_, r) => r);
    return {
      vec4,
      setup: idx.map((r) => row(`lid + ${r * threads}u`, r)).join('\n'),
      load: `  for (var kk = 0u; kk < ${tl.tk}u; kk = kk + ${w}u) {
      let k = k0 + kk;
${idx.map((r) => store(r, `lid + ${r * threads}u`)).join('\n')}
    }`,
    };
  }
  if (threads % tl.tm === 0) {
    const step = threads / tl.tm;
    return {
      vec4,
      setup: row(`lid % ${tl.tm}u`, 0),
      load: `  for (var kk = (lid / ${tl.tm}u) * ${w}u; kk < ${tl.tk}u; kk = kk + ${step * w}u) {
      let k = k0 + kk;
${store(0, `lid % ${tl.tm}u`)}
    }`,
    };
  }
  return undefined;
}
