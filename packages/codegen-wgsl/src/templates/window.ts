// Window templates. reduce_window: one invocation per output element looping over its window
// (padding reads as the identity, so it is skipped). select_and_scatter_add: one invocation per
// operand element, which visits every window covering it (source positions in row-major order),
// finds that window's first maximum and, if it is this element, adds the window's source value —
// a gather formulation, deterministic and free of atomics.

import { elementAt, numel, reduceWindowKind, type NodeOf } from '@kiln/ir';
import { linearWorkgroupExpr, splitWorkgroups } from '../dispatch.js';
import { coordOf, flatIndex } from '../index-math.js';
import type { KernelEmitter } from '../kernel-emitter.js';
import { fitWorkgroupSize, type DeviceLimits } from '../limits.js';
import { valueType } from '../wgsl-types.js';
import { MAIN_PARAMS, reducer, storeOutput, type TemplateResult } from './common.js';

function elementGrid(count: number, limits: DeviceLimits): { wg: number; grid: ReturnType<typeof splitWorkgroups> } {
  const wg = fitWorkgroupSize(64, limits);
  return { wg, grid: splitWorkgroups(Math.ceil(count / wg), limits.maxComputeWorkgroupsPerDimension) };
}

/**
 * Nested loops over window taps t_d with p_d = base_d + t_d − lo_d inside [0, size_d); `inner`
 * sees the positions p0..p{r-1} (i32). Dims whose window is 1 need no loop.
 */
function windowLoops(prefix: string, base: readonly string[], window: readonly number[], padLow: readonly number[], sizes: readonly number[], inner: string, indent: string): string {
  let code = inner;
  for (let d = window.length - 1; d >= 0; d--) {
    const w = elementAt(window, d, 'window');
    const p = `${prefix}${d}`;
    const pos = `i32(${elementAt(base, d, 'window base positions')}) + i32(t${prefix}${d}) - ${elementAt(padLow, d, 'window low padding')}i`;
    const size = elementAt(sizes, d, 'window operand shape');
    const check = `if (${p} < 0i || ${p} >= ${size}i) { continue; }`;
    code =
      w === 1
        ? `${indent}{ let t${prefix}${d} = 0u; let ${p} = ${pos}; if (${p} >= 0i && ${p} < ${size}i) {\n${code}\n${indent}} }`
        : `${indent}for (var t${prefix}${d} = 0u; t${prefix}${d} < ${w}u; t${prefix}${d} = t${prefix}${d} + 1u) {\n${indent}  let ${p} = ${pos};\n${indent}  ${check}\n${code}\n${indent}}`;
  }
  return code;
}

export function reduceWindowTemplate(em: KernelEmitter, anchor: NodeOf<'reduce_window'>, limits: DeviceLimits): TemplateResult {
  const x = anchor.operands[0]!;
  const xType = em.typeOf(x);
  const outShape = anchor.type.shape;
  const count = numel(outShape);
  const { wg, grid } = elementGrid(count, limits);
  const { window, stride, padding } = anchor.attrs;
  const r = reducer(reduceWindowKind(anchor.attrs), xType.dtype);
  const rank = outShape.length;
  const base = Array.from({ length: rank }, (_, d) => `(${coordOf(outShape, d, 'o')} * ${elementAt(stride, d, 'reduce_window stride')}u)`);
  const positions = Array.from({ length: rank }, (_, d) => `u32(p${d})`);
  const inner = `      acc = ${r.combine('acc', em.value(x, flatIndex(xType.shape, positions)))};`;
  em.bindAnchor(anchor.id, 'anchor_val');
  const main = `@compute @workgroup_size(${wg},1,1)
fn main(${MAIN_PARAMS}) {
  let o = ${linearWorkgroupExpr(grid)} * ${wg}u + lid;
  if (o >= ${count}u) { return; }
  var acc: ${valueType(xType.dtype)} = ${r.identity};
${windowLoops(
  'p',
  base,
  window,
  padding.map((p) => p[0]),
  xType.shape,
  inner,
  '  ',
)}
  anchor_val = acc;
  ${storeOutput(em, 'o')}
}`;
  return { template: 'reduce_window', workgroupSize: wg, grid, declarations: [`var<private> anchor_val: ${valueType(anchor.type.dtype)};`], functions: [], main };
}

export function selectAndScatterTemplate(em: KernelEmitter, anchor: NodeOf<'select_and_scatter_add'>, limits: DeviceLimits): TemplateResult {
  const [src, x] = anchor.operands as [number, number];
  const xShape = em.typeOf(x).shape;
  const srcShape = em.typeOf(src).shape;
  const count = numel(xShape);
  const { wg, grid } = elementGrid(count, limits);
  const { window, stride, padding } = anchor.attrs;
  const rank = xShape.length;
  const lo = padding.map((p) => p[0]);
  const lines: string[] = [];
  // Source positions s_d whose window covers element e_d: s·stride + t − lo = e for a tap t.
  for (let d = 0; d < rank; d++) {
    const s = elementAt(stride, d, 'select_and_scatter_add stride');
    const w = elementAt(window, d, 'select_and_scatter_add window');
    lines.push(`  let e${d} = i32(${coordOf(xShape, d, 'o')});`);
    const low = elementAt(lo, d, 'select_and_scatter_add low padding');
    lines.push(`  let slo${d} = max(0i, kiln_ceil_div(e${d} + ${low - w + 1}i, ${s}i));`);
    lines.push(`  let shi${d} = min(${elementAt(srcShape, d, 'select_and_scatter_add source shape') - 1}i, kiln_floor_div(e${d} + ${low}i, ${s}i));`);
  }
  const sCoords = Array.from({ length: rank }, (_, d) => `u32(s${d})`);
  const windowBase = Array.from({ length: rank }, (_, d) => `(u32(s${d}) * ${elementAt(stride, d, 'select_and_scatter_add stride')}u)`);
  const positions = Array.from({ length: rank }, (_, d) => `u32(q${d})`);
  const scan = windowLoops(
    'q',
    windowBase,
    window,
    lo,
    xShape,
    `        let v = ${em.value(x, flatIndex(xShape, positions))};
        if (best < 0i || v > bv || (kiln_isnan(v) && !kiln_isnan(bv))) { bv = v; best = i32(${flatIndex(xShape, positions)}); }`,
    '      ',
  );
  let body = `      var best = -1i;
      var bv = 0.0f;
${scan}
      if (best == i32(o)) { acc = acc + ${em.value(src, flatIndex(srcShape, sCoords))}; }`;
  for (let d = rank - 1; d >= 0; d--) body = `    for (var s${d} = slo${d}; s${d} <= shi${d}; s${d} = s${d} + 1i) {\n${body}\n    }`;
  em.bindAnchor(anchor.id, 'anchor_val');
  const main = `@compute @workgroup_size(${wg},1,1)
fn main(${MAIN_PARAMS}) {
  let o = ${linearWorkgroupExpr(grid)} * ${wg}u + lid;
  if (o >= ${count}u) { return; }
${lines.join('\n')}
  var acc = 0.0f;
${body}
  anchor_val = acc;
  ${storeOutput(em, 'o')}
}`;
  const helpers = [
    'fn kiln_floor_div(a: i32, b: i32) -> i32 { let q = a / b; return select(q, q - 1i, (a % b != 0i) && ((a < 0i) != (b < 0i))); }',
    'fn kiln_ceil_div(a: i32, b: i32) -> i32 { return -kiln_floor_div(-a, b); }',
  ];
  return { template: 'select_and_scatter_add', workgroupSize: wg, grid, declarations: ['var<private> anchor_val: f32;'], functions: helpers, main };
}
