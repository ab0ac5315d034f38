// `kiln run-parity` comparison: one WebGPU tensor against the CPU interpreter's, elementwise, with
// numpy.allclose's rule |gpu - cpu| <= atol + rtol * |cpu| (NaN matches NaN, ±inf must match exactly).

import { formatType } from '@kiln/ir';
import type { HostTensor } from '@kiln/runtime';

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export interface Comparison {
  /** What was compared: an output name, or "state <name>", possibly with its step. */
  readonly what: string;
  readonly type: string;
  /** Largest |gpu - cpu| (Infinity when NaN or an infinity appears on one side only). */
  readonly maxAbs: number;
  /** Largest |gpu - cpu| / |cpu| over the elements where cpu != 0. */
  readonly maxRel: number;
  /** Elements outside the tolerance. */
  readonly bad: number;
  /** The worst element outside the tolerance, or why the tensors cannot be compared. */
  readonly detail: string | undefined;
  readonly ok: boolean;
}

export function compareTensors(what: string, gpu: HostTensor | undefined, cpu: HostTensor, tol: Tolerance): Comparison {
  const type = formatType(cpu.type);
  const broken = (detail: string): Comparison => ({ what, type, maxAbs: Infinity, maxRel: Infinity, bad: cpu.data.length, detail, ok: false });
  if (gpu === undefined) return broken('missing from the WebGPU results');
  if (formatType(gpu.type) !== type) return broken(`WebGPU gave ${formatType(gpu.type)}`);
  if (gpu.data.length !== cpu.data.length) return broken(`WebGPU gave ${gpu.data.length} elements, the CPU ${cpu.data.length}`);
  let maxAbs = 0;
  let maxRel = 0;
  let bad = 0;
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < cpu.data.length; i++) {
    const a = gpu.data[i]!;
    const b = cpu.data[i]!;
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    const diff = Math.abs(a - b);
    const abs = Number.isNaN(diff) ? Infinity : diff;
    maxAbs = Math.max(maxAbs, abs);
    if (b !== 0) maxRel = Math.max(maxRel, abs / Math.abs(b));
    const excess = abs - (tol.atol + tol.rtol * Math.abs(b));
    if (excess > 0 || Number.isNaN(excess)) {
      bad++;
      const e = Number.isNaN(excess) ? Infinity : excess;
      if (worst < 0 || e > worstExcess) {
        worst = i;
        worstExcess = e;
      }
    }
  }
  const detail = worst < 0 ? undefined : `element ${worst}: webgpu ${gpu.data[worst]} vs cpu ${cpu.data[worst]}`;
  return { what, type, maxAbs, maxRel, bad, detail, ok: bad === 0 };
}

const num = (x: number): string => (x === 0 ? '0' : Number.isFinite(x) ? x.toExponential(2) : String(x));

/** A fixed-width table, one row per comparison, failures explained on the line below. */
export function formatComparisons(rows: readonly Comparison[]): string {
  const whatWidth = Math.max(6, ...rows.map((r) => r.what.length));
  const typeWidth = Math.max(4, ...rows.map((r) => r.type.length));
  const line = (what: string, type: string, abs: string, rel: string, result: string): string =>
    `${what.padEnd(whatWidth)}  ${type.padEnd(typeWidth)}  ${abs.padStart(11)}  ${rel.padStart(11)}  ${result}`;
  const out = [line('output', 'type', 'max abs err', 'max rel err', 'result')];
  for (const r of rows) {
    out.push(line(r.what, r.type, num(r.maxAbs), num(r.maxRel), r.ok ? 'ok' : `FAIL (${r.bad} element(s))`));
    if (!r.ok && r.detail !== undefined) out.push(`    ${r.detail}`);
  }
  return out.join('\n');
}
