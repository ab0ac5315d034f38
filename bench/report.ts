// Benchmarks: the report — results side by side as a text table, the "behind" list (every case
// where a peer beats Kiln, with Kiln's own evidence), compile-time and memory tables.

import type { CompileTimeResult, Library, MemoryResult, Roofline, WorkloadResult } from './protocol.js';
import { rooflineFraction, type CaseRatio } from './rounds.js';
import { describeWorkload, higherIsBetter, type Metric, type WorkloadId } from './workloads.js';

export interface Behind {
  readonly workload: WorkloadId;
  readonly case: string;
  readonly peer: Library;
  readonly kiln: string;
  readonly peerValue: string;
  /** How many times better the peer is (≥ 1), or null when Kiln failed. */
  readonly factor: number | null;
  readonly evidence: readonly string[];
}

function fmt(v: number | undefined | null, digits = 3): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return '-';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000) return v.toFixed(0);
  return v.toPrecision(digits);
}

export function formatMetric(v: number | undefined, metric: Metric | undefined): string {
  return v === undefined || metric === undefined ? '-' : `${fmt(v)} ${metric}`;
}

export function formatBytes(b: number | null | undefined): string {
  if (b === null || b === undefined || !Number.isFinite(b)) return '-';
  if (b >= 1 << 30) return `${(b / (1 << 30)).toFixed(2)} GiB`;
  if (b >= 1 << 20) return `${(b / (1 << 20)).toFixed(2)} MiB`;
  if (b >= 1 << 10) return `${(b / (1 << 10)).toFixed(1)} KiB`;
  return `${b} B`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const caseKey = (r: WorkloadResult): string => `${r.workload}|${r.case}`;

/** Results grouped by workload case, in first-seen order. */
export function byCase(results: readonly WorkloadResult[]): WorkloadResult[][] {
  const groups = new Map<string, WorkloadResult[]>();
  for (const r of results) {
    const g = groups.get(caseKey(r)) ?? [];
    g.push(r);
    groups.set(caseKey(r), g);
  }
  return [...groups.values()];
}

export function resultsTable(results: readonly WorkloadResult[], roofline?: Roofline): string {
  const rows: string[][] = [];
  for (const group of byCase(results)) {
    group.forEach((r, i) => {
      const head = i === 0 ? [`${r.workload} ${describeWorkload(r.workload)}`, r.case] : ['', ''];
      if (r.error !== undefined) {
        rows.push([...head, r.library, 'error', '', '', '', '', r.error.slice(0, 90)]);
        return;
      }
      const fraction = roofline === undefined ? undefined : rooflineFraction(r, roofline);
      const roof = fraction === undefined ? '-' : `${(fraction * 100).toPrecision(3)}%`;
      const spread = `${fmt(r.p25_ms)}–${fmt(r.p75_ms)}`;
      const busy = r.gpu_busy_ms === null || r.gpu_busy_ms === undefined ? 'n/a' : fmt(r.gpu_busy_ms);
      const rounds = (r.notes ?? []).find((n) => n.startsWith('rounds: '));
      const notes = [...(rounds !== undefined ? [rounds] : []), ...(r.notes ?? []).filter((n) => n !== 'spot-checked' && n !== rounds)];
      rows.push([...head, r.library, fmt(r.median_ms), spread, formatMetric(r.value, r.metric), roof, busy, notes.join('; ').slice(0, 90)]);
    });
  }
  return table(['workload', 'case', 'library', 'median ms', 'p25–p75 ms', 'metric @ median', '% roof', 'gpu-busy ms', 'notes'], rows);
}

export function rooflineText(roof: Roofline | undefined): string {
  if (roof === undefined) return 'Roofline: not measured (run with the reference library).';
  return `Roofline (this adapter, Kiln's microkernels): copy ${fmt(roof.copy_gbps)} GB/s, FMA peak ${fmt(roof.fma_gflops)} GFLOP/s (${roof.note})`;
}

export function ratioTable(ratios: readonly CaseRatio[]): string {
  if (ratios.length === 0) return '(no case with Kiln and a peer in the same round)';
  return table(
    ['workload', 'case', 'kiln vs', 'median ratio', 'min–max', 'rounds', 'verdict'],
    ratios.map((c) => [c.workload, c.case, c.against, `${c.median.toFixed(2)}x`, `${c.min.toFixed(2)}–${c.max.toFixed(2)}`, String(c.perRound.length), c.verdict]),
  );
}

/** Every case where a peer's metric beats Kiln's (or Kiln failed where a peer ran). */
export function behindList(results: readonly WorkloadResult[]): Behind[] {
  const out: Behind[] = [];
  for (const group of byCase(results)) {
    const kiln = group.find((r) => r.library === 'kiln');
    if (kiln === undefined) continue;
    for (const peer of group) {
      if (peer.library === 'kiln' || peer.error !== undefined || peer.value === undefined || peer.metric === undefined) continue;
      const peerValue = formatMetric(peer.value, peer.metric);
      if (kiln.error !== undefined || kiln.value === undefined) {
        out.push({ workload: kiln.workload, case: kiln.case, peer: peer.library, kiln: `error: ${kiln.error ?? 'no value'}`, peerValue, factor: null, evidence: [] });
        continue;
      }
      const better = higherIsBetter(peer.metric) ? peer.value / kiln.value : kiln.value / peer.value;
      if (better > 1)
        out.push({ workload: kiln.workload, case: kiln.case, peer: peer.library, kiln: formatMetric(kiln.value, kiln.metric), peerValue, factor: better, evidence: kiln.notes ?? [] });
    }
  }
  return out;
}

export function behindText(list: readonly Behind[]): string {
  if (list.length === 0) return 'Kiln is not behind any peer on the workloads measured.';
  const cases = new Map<string, Behind[]>();
  for (const b of list) cases.set(`${b.workload} ${b.case}`, [...(cases.get(`${b.workload} ${b.case}`) ?? []), b]);
  const lines: string[] = [`Kiln is behind a peer on ${cases.size} case(s) (${list.length} comparison(s)):`];
  for (const [name, items] of cases) {
    const first = items[0]!;
    const peers = items.map((b) => `${b.peer} ${b.peerValue}${b.factor === null ? '' : ` (${b.factor.toFixed(2)}x)`}`).join(', ');
    lines.push(`- ${name}: kiln ${first.kiln} vs ${peers}`);
    for (const e of first.evidence.filter((x) => /kernel|^slowest/.test(x))) lines.push(`    ${e}`);
  }
  return lines.join('\n');
}

export function compileTable(rows: readonly CompileTimeResult[]): string {
  return table(
    ['graph', 'nodes', 'kernels', 'trace ms', 'passes ms', 'codegen ms', 'total ms', 'ms/1k nodes', 'slowest passes'],
    rows.map((r) =>
      r.error !== undefined
        ? [r.graph, String(r.nodes), '-', '-', '-', '-', '-', '-', `error: ${r.error.slice(0, 80)}`]
        : [
            r.graph,
            String(r.nodes),
            String(r.kernels),
            fmt(r.trace_ms, 4),
            fmt(r.passes_ms, 4),
            fmt(r.codegen_ms, 4),
            fmt(r.total_ms, 4),
            fmt((r.total_ms / r.nodes) * 1000),
            r.slowest_passes.map((p) => `${p.pass} ${fmt(p.ms, 3)}`).join(', '),
          ],
    ),
  );
}

export function memoryTable(rows: readonly MemoryResult[], peers: readonly WorkloadResult[]): string {
  const body = rows.map((m) => [
    m.case,
    formatBytes(m.runtime_bytes),
    formatBytes(m.runtime_arena_bytes),
    formatBytes(m.persistent_bytes),
    formatBytes(m.plan_peak_bytes),
    formatBytes(m.lower_bound_bytes),
    Number.isFinite(m.lower_bound_bytes) && m.lower_bound_bytes > 0 ? `${(m.plan_peak_bytes / m.lower_bound_bytes).toFixed(3)}x` : '-',
    formatBytes(m.plan_naive_bytes),
  ]);
  const peerLines = peers
    .filter((r) => r.workload === 'W4' && r.library !== 'kiln' && r.error === undefined)
    .map((r) => `  ${r.library}: peak ${formatBytes(r.peak_bytes)}${r.peak_bytes === null ? ' (library has no memory report)' : ''}`);
  return [
    table(['W4 case', 'kiln runtime', 'runtime arena', 'params+inputs', 'plan arena peak', 'lower bound', 'peak/bound', 'no reuse'], body),
    ...(peerLines.length > 0 ? ['peers (whole step, params included):', ...peerLines] : []),
    ...(rows[0] !== undefined ? [`note: ${rows[0].note}`] : []),
  ].join('\n');
}
