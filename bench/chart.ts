// Benchmarks: the chart — one small bar panel per workload case (each with its own metric and
// scale), libraries side by side with their p25–p75 spread, as a vega-lite spec rendered to SVG
// in Node (no DOM).

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { WorkloadResult } from './protocol.js';
import { higherIsBetter, metricValue } from './workloads.js';

interface Bar {
  readonly panel: string;
  readonly library: string;
  readonly value: number;
  /** The metric at the p75 and p25 times: the interquartile spread. */
  readonly lo: number;
  readonly hi: number;
}

export function chartSpec(results: readonly WorkloadResult[], title: string): TopLevelSpec {
  const bars: Bar[] = [];
  for (const r of results) {
    if (r.value === undefined || r.metric === undefined || !Number.isFinite(r.value)) continue;
    const better = higherIsBetter(r.metric) ? 'higher is better' : 'lower is better';
    const at = (ms: number | undefined): number => (ms === undefined ? r.value! : metricValue(r.params, ms));
    const [a, b] = [at(r.p25_ms), at(r.p75_ms)];
    bars.push({ panel: `${r.workload} ${r.case} — ${r.metric} (${better})`, library: r.library, value: r.value, lo: Math.min(a, b), hi: Math.max(a, b) });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    config: { font: 'sans-serif', header: { labelFontSize: 11 } },
    data: { values: bars },
    facet: { field: 'panel', type: 'nominal', title: null, sort: null },
    columns: 3,
    spec: {
      width: 200,
      height: 140,
      encoding: { x: { field: 'library', type: 'nominal', title: null, sort: ['kiln', 'tfjs', 'jax-js', 'reference'] } },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'value', type: 'quantitative', title: null },
            color: { field: 'library', type: 'nominal', scale: { domain: ['kiln', 'tfjs', 'jax-js', 'reference'] } },
            tooltip: [{ field: 'value', type: 'quantitative', format: '.3g' }],
          },
        },
        { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}

export async function chartSvg(results: readonly WorkloadResult[], title: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(results, title)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
