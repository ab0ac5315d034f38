// The memory plan picture (SVG): plan-memory's annotations on the graph that runs. Every transient
// value lives in the arena (buffer 0) at its `offset` from the kernel that writes it to the last
// kernel that reads it: one rectangle per value, schedule position across, arena offset up. The
// dashed line is the transient bytes live at each step, the bound no placement can beat.

import { formatType, valueLabel, type Graph } from '@kiln/ir';
import { ARENA_BUFFER, arenaBytesOf } from '@kiln/passes';

const SVG = 'http://www.w3.org/2000/svg';

export interface PlanSummary {
  readonly transients: number;
  readonly arenaBytes: number;
  readonly ownBuffers: number;
  readonly ownBytes: number;
  readonly inplace: number;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [a, v] of Object.entries(attrs)) e.setAttribute(a, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function kb(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Draws the plan of `g` into `host` (replacing its content); undefined when `g` carries no plan. */
export function drawMemoryPlan(host: HTMLElement, g: Graph, stats: Readonly<Record<string, number>> | undefined): PlanSummary | undefined {
  host.replaceChildren();
  const planned = g.nodes.some((n) => n.annotations?.buf !== undefined);
  if (!planned) {
    host.textContent = 'this graph carries no memory plan (the pipeline has no plan-memory pass)';
    return undefined;
  }
  const last = new Map<number, number>();
  g.nodes.forEach((n, i) => n.operands.forEach((o) => last.set(o, i)));
  const blocks = g.nodes.flatMap((n, i) => {
    const a = n.annotations;
    if (a?.buf !== ARENA_BUFFER || typeof a.offset !== 'number') return [];
    return [
      {
        i,
        end: last.get(n.id) ?? i,
        offset: a.offset,
        size: arenaBytesOf(n.type),
        label: valueLabel(g, n.id),
        type: formatType(n.type),
        kernel: n.op === 'call' ? String(n.attrs.callee) : n.op,
      },
    ];
  });
  const steps = Math.max(1, g.nodes.length);
  const arena = Math.max(1, ...blocks.map((b) => b.offset + b.size));
  const live = new Array<number>(steps).fill(0);
  for (const b of blocks) for (let s = b.i; s <= b.end; s++) live[s]! += b.size;

  const W = Math.max(480, Math.round(host.clientWidth || 760));
  const H = 260;
  const L = 80;
  const R = 12;
  const T = 10;
  const B = 34;
  const pw = W - L - R;
  const ph = H - T - B;
  const x = (s: number): number => L + (s / steps) * pw;
  const y = (bytes: number): number => T + ph - (bytes / arena) * ph;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': 'memory plan: arena offset over the schedule' });
  root.append(svg('rect', { x: L, y: T, width: pw, height: ph, fill: '#f8fafc', stroke: '#94a3b8' }));
  for (let t = 0; t <= 4; t++) {
    const v = (arena * t) / 4;
    root.append(svg('line', { x1: L, x2: L + pw, y1: y(v), y2: y(v), stroke: '#e2e8f0' }));
    root.append(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#475569' }, kb(v)));
  }
  const tick = Math.max(1, Math.ceil(steps / 12));
  for (let s = 0; s < steps; s += tick) root.append(svg('text', { x: x(s + 0.5), y: T + ph + 14, 'text-anchor': 'middle', 'font-size': 10, fill: '#475569' }, String(s)));
  root.append(svg('text', { x: L + pw / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 11, fill: '#334155' }, `kernel in schedule order (${g.nodes.length} dispatches) →`));
  root.append(svg('text', { x: 14, y: T + ph / 2, 'text-anchor': 'middle', 'font-size': 11, fill: '#334155', transform: `rotate(-90 14 ${T + ph / 2})` }, 'arena offset'));
  blocks.forEach((b, j) => {
    const hue = (j * 137.508) % 360;
    const r = svg('rect', {
      x: x(b.i) + 0.5,
      y: y(b.offset + b.size),
      width: Math.max(1, x(b.end + 1) - x(b.i) - 1),
      height: Math.max(1, y(b.offset) - y(b.offset + b.size)),
      fill: `hsl(${hue.toFixed(0)} 70% 62%)`,
      stroke: `hsl(${hue.toFixed(0)} 60% 35%)`,
      'stroke-width': 0.6,
      'data-value': b.label,
    });
    r.append(svg('title', {}, `${b.label} : ${b.type} from @${b.kernel}\narena bytes [${b.offset}, ${b.offset + b.size}) = ${kb(b.size)}\nlive from dispatch ${b.i} to ${b.end}`));
    root.append(r);
  });
  const pts = live.flatMap((v, s) => [`${x(s)},${y(v)}`, `${x(s + 1)},${y(v)}`]).join(' ');
  root.append(svg('polyline', { points: pts, fill: 'none', stroke: '#0f172a', 'stroke-dasharray': '4 3', 'stroke-width': 1.2 }));
  host.append(root);

  const outputs = new Set(g.outputs.map((o) => o.value));
  let ownBuffers = g.inputs.length;
  let ownBytes = g.inputs.reduce((a, i) => a + arenaBytesOf(i.type), 0);
  let inplace = 0;
  for (const n of g.nodes) {
    if (n.annotations?.inplace === 1) inplace++;
    else if (n.annotations?.buf !== ARENA_BUFFER && outputs.has(n.id)) {
      ownBuffers++;
      ownBytes += arenaBytesOf(n.type);
    }
  }
  const summary: PlanSummary = { transients: blocks.length, arenaBytes: blocks.length > 0 ? arena : 0, ownBuffers, ownBytes, inplace };
  const p = document.createElement('p');
  p.className = 'legend';
  const naive = stats?.['naiveBytes'];
  const bound = stats?.['lowerBoundBytes'];
  p.textContent =
    `Arena: ${kb(summary.arenaBytes)} for ${blocks.length} transients` +
    (naive !== undefined ? ` (${kb(naive)} without reuse` : '') +
    (bound !== undefined ? `, ${kb(bound)} lower bound)` : naive !== undefined ? ')' : '') +
    `. Own buffers: ${ownBuffers} (inputs, parameters and optimizer state, outputs), ${kb(ownBytes)}. ` +
    `${inplace} state update${inplace === 1 ? '' : 's'} written in place. Dashed: bytes live at each dispatch. Hover a block for its value.`;
  host.append(p);
  return summary;
}
