// The picture of the IR after a pass (graphviz.ts: parse, graphToDot, Graphviz in WebAssembly). That
// module is a bundle of its own, dist/graphviz.js, imported the first time a picture is drawn: the
// page loads without Graphviz.

type Graphviz = typeof import('./graphviz.js');

let graphviz: Promise<Graphviz> | undefined;

/** dist/graphviz.js, imported once (server/build.ts keeps the import external: resolved next to app.js). */
function loadGraphviz(): Promise<Graphviz> {
  const p = (graphviz ??= import('./graphviz.js'));
  // A failed load may be retried by the next picture.
  p.catch(() => {
    if (graphviz === p) graphviz = undefined;
  });
  return p;
}

/** The SVG picture of the graph whose printed IR is `text`. */
export async function irPicture(text: string, label: string): Promise<SVGSVGElement> {
  const svgText = (await loadGraphviz()).irSvg(text, label);
  const svg = new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement;
  if (!(svg instanceof SVGSVGElement)) throw new Error(`Graphviz drew no SVG for ${label}`);
  return svg;
}
