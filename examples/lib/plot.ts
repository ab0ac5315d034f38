// Example support: training curves as SVG (vega-lite spec → vega View with renderer 'none' → toSVG,
// no DOM or canvas needed) and PNG (the SVG rasterised by @resvg/resvg-js).

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface Series {
  readonly name: string;
  /** One value per step (step = index); non-finite values are skipped. */
  readonly values: readonly number[];
}

export interface PlotOptions {
  readonly title?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Log-scale y axis (values ≤ 0 are skipped). */
  readonly logY?: boolean;
  readonly width?: number;
  readonly height?: number;
  /** Longer series are thinned to about this many points per series (strided, last point kept). */
  readonly maxPoints?: number;
}

interface Point {
  readonly step: number;
  readonly value: number;
  readonly series: string;
}

function points(series: readonly Series[], opts: PlotOptions): Point[] {
  const maxPoints = opts.maxPoints ?? 2000;
  const out: Point[] = [];
  for (const s of series) {
    const stride = Math.max(1, Math.ceil(s.values.length / maxPoints));
    for (let i = 0; i < s.values.length; i++) {
      if (i % stride !== 0 && i !== s.values.length - 1) continue;
      const value = s.values[i]!;
      if (!Number.isFinite(value) || (opts.logY === true && value <= 0)) continue;
      out.push({ step: i, value, series: s.name });
    }
  }
  return out;
}

export function lossCurveSpec(series: readonly Series[], opts: PlotOptions = {}): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    width: opts.width ?? 560,
    height: opts.height ?? 320,
    background: 'white',
    config: { font: 'sans-serif' },
    data: { values: points(series, opts) },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: opts.xTitle ?? 'step' },
      y: {
        field: 'value',
        type: 'quantitative',
        title: opts.yTitle ?? 'loss',
        scale: opts.logY === true ? { type: 'log' } : { zero: false },
      },
      // Legend in the caller's order, not alphabetical.
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: series.map((s) => s.name) } },
    },
  };
}

/** An SVG document plotting each series against its step index. */
export async function lossCurveSvg(series: readonly Series[], opts: PlotOptions = {}): Promise<string> {
  const vegaSpec = compile(lossCurveSpec(series, opts)).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG document to PNG bytes (system fonts are used for the text). */
export function svgToPng(svg: string, opts: { readonly width?: number } = {}): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    ...(opts.width !== undefined ? { fitTo: { mode: 'width' as const, value: opts.width } } : {}),
  });
  return resvg.render().asPng();
}

/** Writes the plot as .svg or .png, chosen by the file extension; creates the directory if needed. */
export async function writePlot(path: string, series: readonly Series[], opts: PlotOptions = {}): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw new Error(`writePlot: ${path}: use a .svg or .png extension`);
  const svg = await lossCurveSvg(series, opts);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, ext === '.svg' ? svg : svgToPng(svg));
}
