// The IR picture of a pass, as `kiln dump --svg` draws it: the printed IR re-read with @kiln/ir's
// parser, graphToDot from @kiln/passes, laid out by Graphviz compiled to WebAssembly (@viz-js/viz,
// the wasm inlined). server/build.ts bundles this file on its own into dist/graphviz.js (about
// 1.6 MB, 0.5 MB gzipped), which app.js imports (ir-graph.ts) only when it draws its first picture.

import { parse } from '@kiln/ir';
import { graphToDot } from '@kiln/passes';
import { instance } from '@viz-js/viz';

const viz = await instance();

/** The SVG text of the graph whose printed IR is `text`; throws with Graphviz's errors. */
export function irSvg(text: string, label: string): string {
  const r = viz.render(graphToDot(parse(text, label)), { format: 'svg' });
  if (r.status !== 'success') throw new Error(`Graphviz cannot draw ${label}: ${r.errors.map((e) => e.message.trim()).join('; ')}`);
  return r.output;
}
