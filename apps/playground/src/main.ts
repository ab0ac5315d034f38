// The Kiln playground page: trains a model on an MNIST subset on this page's own GPUDevice with
// Kiln's real compiler (k.jit: trace → pass pipeline → fused WGSL kernels → WebGPU), plots the
// loss and test accuracy live, classifies what you draw, and shows what the compiler made: the IR
// after each pass, every kernel's WGSL and GPU time, and the memory plan.

import { requestWebGpuDevice } from '@kiln/runtime';
import { loadMnist, type Mnist } from './data.js';
import { DrawPad, paintDigit } from './draw.js';
import { irPicture } from './ir-graph.js';
import { drawMemoryPlan } from './memory-plan.js';
import { MODELS, modelSpec, type ModelId } from './models.js';
import { drawLossPlot } from './plot.js';
import { Session, type Compiled } from './session.js';

const EVAL_EVERY = 25;

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e as T;
};

const ui = {
  device: $<HTMLParagraphElement>('device'),
  model: $<HTMLSelectElement>('model'),
  modelDesc: $<HTMLParagraphElement>('model-desc'),
  steps: $<HTMLInputElement>('steps'),
  train: $<HTMLButtonElement>('train'),
  stop: $<HTMLButtonElement>('stop'),
  reset: $<HTMLButtonElement>('reset'),
  plot: $<HTMLCanvasElement>('loss-plot'),
  status: $<HTMLParagraphElement>('status'),
  pad: $<HTMLCanvasElement>('pad'),
  digit: $<HTMLCanvasElement>('digit28'),
  clear: $<HTMLButtonElement>('clear'),
  sample: $<HTMLButtonElement>('sample'),
  prediction: $<HTMLDivElement>('prediction'),
  spec: $<HTMLSelectElement>('spec'),
  profile: $<HTMLButtonElement>('profile'),
  compileInfo: $<HTMLSpanElement>('compile-info'),
  passes: $<HTMLDivElement>('passes'),
  ir: $<HTMLPreElement>('ir'),
  irGraph: $<HTMLDivElement>('ir-graph'),
  kernels: $<HTMLTableElement>('kernels'),
  timingNote: $<HTMLParagraphElement>('timing-note'),
  wgslTitle: $<HTMLHeadingElement>('wgsl-title'),
  wgsl: $<HTMLPreElement>('wgsl'),
  memory: $<HTMLDivElement>('memory'),
};

type PageState = 'loading' | 'ready' | 'training' | 'done' | 'error';

interface Page {
  state: PageState;
  device: GPUDevice | undefined;
  data: Mnist | undefined;
  session: Session | undefined;
  losses: number[];
  accuracy: [number, number][];
  stopRequested: boolean;
  seed: number;
  selected: Compiled | undefined;
  passIndex: number;
  kernelIndex: number;
  error: string | undefined;
}

const page: Page = {
  state: 'loading',
  device: undefined,
  data: undefined,
  session: undefined,
  losses: [],
  accuracy: [],
  stopRequested: false,
  seed: 1,
  selected: undefined,
  passIndex: -1,
  kernelIndex: 0,
  error: undefined,
};
// For the end-to-end test and for poking around in the console.
(globalThis as { kilnPlayground?: unknown }).kilnPlayground = page;

function setState(state: PageState, text: string): void {
  if (page.state === 'error' && state !== 'error') return;
  page.state = state;
  ui.status.dataset['state'] = state;
  ui.status.textContent = text;
  const busy = state === 'training' || state === 'loading' || state === 'error';
  ui.train.disabled = busy;
  ui.reset.disabled = busy;
  ui.stop.disabled = state !== 'training';
  // A running step must finish before its session is replaced.
  ui.model.disabled = busy;
  ui.profile.disabled = busy || page.selected === undefined || page.selected.graphs.kernels === undefined;
}

function fail(e: unknown): void {
  const text = e instanceof Error ? e.message : String(e);
  page.error = text;
  console.error(e);
  setState('error', `error: ${text}`);
}

let plotQueued = false;
function redrawPlot(): void {
  if (plotQueued) return;
  plotQueued = true;
  requestAnimationFrame(() => {
    plotQueued = false;
    drawLossPlot(ui.plot, { losses: page.losses, accuracy: page.accuracy });
  });
}

function statusLine(extra = ''): string {
  const s = page.session;
  if (s === undefined) return '';
  const n = page.losses.length;
  const last = page.losses.at(-1);
  const acc = page.accuracy.at(-1);
  return [
    `step ${n}`,
    last !== undefined ? `loss ${last.toFixed(4)} (step 1: ${page.losses[0]!.toFixed(4)})` : 'not trained yet',
    acc !== undefined ? `test accuracy ${(acc[1] * 100).toFixed(1)}% on ${page.data!.test.n} images (step ${acc[0]})` : '',
    extra,
  ]
    .filter((p) => p !== '')
    .join(' · ');
}

// ---- sessions and training ----

function newSession(id: ModelId): void {
  page.session?.dispose();
  const spec = modelSpec(id);
  page.losses = [];
  page.accuracy = [];
  page.selected = undefined;
  ui.spec.replaceChildren();
  renderInspector();
  page.session = new Session(spec, page.device!, page.data!, onCompiled, page.seed);
  ui.modelDesc.textContent = `${spec.description}; batch ${spec.batch}, learning rate ${spec.lr}`;
  redrawPlot();
  setState('ready', `${spec.label}: fresh weights. Press Train (the first step compiles it).`);
  void predictDrawing();
}

async function evaluate(): Promise<void> {
  const s = page.session!;
  const acc = await s.testAccuracy();
  page.accuracy.push([page.losses.length, acc]);
  redrawPlot();
}

async function train(steps: number): Promise<void> {
  const s = page.session!;
  page.stopRequested = false;
  setState('training', statusLine('compiling…'));
  const t0 = performance.now();
  let done = 0;
  let lastYield = performance.now();
  while (done < steps && !page.stopRequested && s === page.session) {
    page.losses.push(await s.trainStep());
    done++;
    if (page.losses.length % EVAL_EVERY === 0) await evaluate();
    redrawPlot();
    const rate = done / ((performance.now() - t0) / 1000);
    ui.status.textContent = statusLine(`${rate.toFixed(1)} steps/s`);
    ui.status.dataset['steps'] = String(page.losses.length);
    // Let the page paint now and then: each step already awaits its loss, but paints need a task.
    if (performance.now() - lastYield > 60) {
      await new Promise((r) => setTimeout(r, 0));
      lastYield = performance.now();
    }
  }
  if (s !== page.session) return;
  const seconds = (performance.now() - t0) / 1000;
  if (page.accuracy.at(-1)?.[0] !== page.losses.length) await evaluate();
  // Time each kernel of the training step (one more real step, not plotted).
  const trainSpec = s.compiled.find((c) => c.fn === 'train');
  if (trainSpec?.graphs.kernels !== undefined) {
    await profile(s, trainSpec);
    if (page.selected === trainSpec) renderKernels();
  }
  void predictDrawing();
  setState('done', statusLine(`${done} steps in ${seconds.toFixed(1)} s (${(done / seconds).toFixed(1)} steps/s, first step includes compiling)`));
  ui.status.dataset['steps'] = String(page.losses.length);
}

// ---- drawing ----

let predicting = false;
let predictAgain = false;
let profiling = false;

/** Profiles one specialization; drawings wait meanwhile, so only the profiled kernels are timed. */
async function profile(s: Session, c: Compiled): Promise<void> {
  profiling = true;
  try {
    await s.profile(c);
  } finally {
    profiling = false;
    if (predictAgain) {
      predictAgain = false;
      void predictDrawing();
    }
  }
}

async function predictDrawing(pixels?: Float32Array): Promise<void> {
  const s = page.session;
  if (s === undefined || page.state === 'error') return;
  if (predicting || profiling) {
    predictAgain = true;
    return;
  }
  predicting = true;
  try {
    const img = pixels ?? pad.pixels();
    paintDigit(ui.digit, img);
    if (img === undefined) {
      renderBars(undefined);
      return;
    }
    renderBars(await s.classify(img));
  } catch (e) {
    fail(e);
  } finally {
    predicting = false;
    if (predictAgain) {
      predictAgain = false;
      void predictDrawing();
    }
  }
}

function renderBars(p: Float32Array | undefined): void {
  ui.prediction.replaceChildren();
  if (p === undefined) {
    const p = document.createElement('p');
    p.className = 'muted hint';
    p.textContent = 'Draw a digit (0–9) in the black square, or press Test image.';
    ui.prediction.append(p);
    ui.prediction.dataset['best'] = '';
    return;
  }
  let best = 0;
  p.forEach((v, i) => {
    if (v > p[best]!) best = i;
  });
  ui.prediction.dataset['best'] = String(best);
  p.forEach((v, i) => {
    const label = document.createElement('b');
    label.textContent = String(i);
    const bar = document.createElement('div');
    bar.className = i === best ? 'bar best' : 'bar';
    bar.style.width = `${Math.max(0.5, v * 100).toFixed(1)}%`;
    const pct = document.createElement('span');
    pct.textContent = `${(v * 100).toFixed(1)}%`;
    ui.prediction.append(label, bar, pct);
  });
}

const pad = new DrawPad(ui.pad, (final) => {
  if (final || !predicting) void predictDrawing();
});
ui.clear.addEventListener('click', () => {
  pad.clear();
  void predictDrawing();
});
ui.sample.addEventListener('click', () => {
  const test = page.data?.test;
  if (test === undefined) return;
  const i = Math.floor(Math.random() * test.n);
  const img = test.images.slice(i * 784, (i + 1) * 784);
  const g = ui.pad.getContext('2d')!;
  pad.clear();
  const tmp = document.createElement('canvas');
  tmp.width = 28;
  tmp.height = 28;
  paintDigit(tmp, img);
  g.imageSmoothingEnabled = true;
  g.drawImage(tmp, 0, 0, ui.pad.width, ui.pad.height);
  pad.inked = true;
  ui.prediction.title = `test image ${i}, labelled ${test.labels[i]}`;
  void predictDrawing(img);
});

// ---- the compiler inspector ----

function specLabel(c: Compiled): string {
  return `${c.fn === 'train' ? 'training step' : 'prediction'} @${c.graphs.graph.name} (${c.info.signature})`;
}

function onCompiled(c: Compiled): void {
  const opt = document.createElement('option');
  opt.value = String(c.id);
  opt.textContent = specLabel(c);
  ui.spec.append(opt);
  // The training step is the interesting one: shown first, and kept unless the user picks another.
  if (page.selected === undefined || (c.fn === 'train' && page.selected.fn !== 'train')) select(c);
}

function select(c: Compiled): void {
  page.selected = c;
  ui.spec.value = String(c.id);
  page.passIndex = -1;
  page.kernelIndex = 0;
  renderInspector();
}

ui.spec.addEventListener('change', () => {
  const c = page.session?.compiled[Number(ui.spec.value)];
  if (c !== undefined) select(c);
});

function renderInspector(): void {
  const c = page.selected;
  ui.profile.disabled = c?.graphs.kernels === undefined || page.state === 'training' || page.state === 'loading';
  if (c === undefined) {
    ui.compileInfo.textContent = '';
    ui.passes.replaceChildren();
    ui.ir.textContent = 'Train a step (or draw a digit) to compile: the IR after each pass appears here.';
    showPicture(undefined);
    ui.kernels.tBodies[0]!.replaceChildren();
    ui.timingNote.textContent = '';
    ui.wgslTitle.textContent = 'WGSL';
    ui.wgsl.textContent = '';
    ui.memory.replaceChildren();
    return;
  }
  const i = c.info;
  ui.compileInfo.textContent = `${i.primitiveOps} traced ops → ${i.kernels} ${i.backend === 'webgpu' ? 'kernels' : 'nodes'}; trace ${i.traceMs.toFixed(0)} ms, passes ${i.passesMs.toFixed(0)} ms, WGSL + pipelines ${i.codegenMs.toFixed(0)} ms`;
  renderPasses();
  renderKernels();
  const planStats = c.graphs.pipeline?.passes.find((p) => p.pass === 'plan-memory')?.stats;
  drawMemoryPlan(ui.memory, c.graphs.graph, planStats);
}

function renderPasses(): void {
  const c = page.selected!;
  ui.passes.replaceChildren();
  // The traced graph, then every pass of the pipeline; an unchanged pass shows the IR it was given.
  const records = c.graphs.pipeline?.passes ?? [];
  const entries: { label: string; title: string; changed: boolean; ir: number }[] = [{ label: 'traced', title: 'the graph k.jit traced', changed: true, ir: 0 }];
  let latest = 0;
  for (const r of records) {
    const at = c.ir.findIndex((d) => d.index === r.index);
    if (at >= 0) latest = at;
    const stats = Object.entries(r.stats)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    entries.push({
      label: `${r.index + 1}. ${r.pass}`,
      title: `${r.pass}: ${r.ms.toFixed(2)} ms${r.changed ? '' : ', no change'}${stats !== '' ? `; ${stats}` : ''}`,
      changed: r.changed,
      ir: latest,
    });
  }
  const current = Math.min(page.passIndex < 0 ? entries.length - 1 : page.passIndex, entries.length - 1);
  entries.forEach((e, j) => {
    const b = document.createElement('button');
    b.textContent = e.label;
    b.title = e.title;
    b.className = `${e.changed ? '' : 'unchanged'} ${j === current ? 'active' : ''}`.trim();
    b.addEventListener('click', () => {
      page.passIndex = j;
      renderPasses();
    });
    ui.passes.append(b);
  });
  const shown = entries[current]!;
  const ir = c.ir[shown.ir];
  ui.ir.textContent = `// ${shown.title}\n${ir?.text ?? ''}`;
  showPicture(ir !== undefined ? { c, ir: shown.ir, text: ir.text, label: shown.label } : undefined);
}

// The picture of the shown IR (ir-graph.ts: Graphviz is loaded the first time one is drawn), one
// per IR snapshot, drawn once and kept with its specialization.
const pictures = new WeakMap<Compiled, Map<number, Promise<SVGSVGElement>>>();
let pictureShown = 0;

function showPicture(p: { c: Compiled; ir: number; text: string; label: string } | undefined): void {
  const token = ++pictureShown;
  const box = ui.irGraph;
  if (p === undefined) {
    box.replaceChildren();
    box.dataset['state'] = 'none';
    box.dataset['pass'] = '';
    return;
  }
  const byIr = pictures.get(p.c) ?? new Map<number, Promise<SVGSVGElement>>();
  pictures.set(p.c, byIr);
  // After this task: a click on a pass paints its button before Graphviz lays the graph out.
  const svg = byIr.get(p.ir) ?? new Promise<void>((r) => setTimeout(r, 0)).then(() => irPicture(p.text, `${p.label} IR`));
  byIr.set(p.ir, svg);
  box.dataset['pass'] = p.label;
  box.dataset['state'] = 'drawing';
  box.textContent = 'drawing the graph (Graphviz)…';
  svg.then(
    (e) => {
      if (token !== pictureShown) return;
      box.replaceChildren(e);
      box.dataset['state'] = 'done';
    },
    (e: unknown) => {
      if (byIr.get(p.ir) === svg) byIr.delete(p.ir); // tried again next time (a failed load of Graphviz, say)
      if (token !== pictureShown) return;
      const msg = document.createElement('p');
      msg.className = 'muted small';
      msg.textContent = `no picture: ${e instanceof Error ? e.message : String(e)}`;
      box.replaceChildren(msg);
      box.dataset['state'] = 'error';
    },
  );
}

function renderKernels(): void {
  const c = page.selected!;
  const body = ui.kernels.tBodies[0]!;
  body.replaceChildren();
  const kernels = c.graphs.kernels;
  if (kernels === undefined) {
    ui.timingNote.textContent = 'this specialization runs on the CPU interpreter: no kernels';
    ui.wgsl.textContent = '';
    return;
  }
  const times = new Map((c.profile?.kernels ?? []).map((t) => [t.kernel, t]));
  ui.timingNote.textContent =
    c.profile !== undefined ? `${c.profile.source}: ${c.profile.note}` : 'not profiled yet: press "Profile kernels" (a finished training run profiles its step)';
  const us = (ms: number | undefined): string => (ms === undefined ? '–' : (ms * 1000).toFixed(0));
  let gpuTotal = 0;
  let wallTotal = 0;
  kernels.forEach((k, j) => {
    const t = times.get(k.name);
    gpuTotal += t?.gpuMs ?? 0;
    wallTotal += t?.wallMs ?? 0;
    const tr = document.createElement('tr');
    if (j === page.kernelIndex) tr.className = 'active';
    for (const [text, cls] of [
      [String(j), 'num'],
      [`@${k.name}`, 'name'],
      [k.template, ''],
      [k.workgroups.join('×'), ''],
      [us(t?.gpuMs), 'num'],
      [us(t?.wallMs), 'num'],
    ] as const) {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls !== '') td.className = cls;
      if (cls === 'name') td.title = text;
      tr.append(td);
    }
    tr.addEventListener('click', () => {
      page.kernelIndex = j;
      renderKernels();
    });
    body.append(tr);
  });
  if (c.profile !== undefined) {
    const tr = document.createElement('tr');
    tr.innerHTML = `<td></td><td><b>total</b></td><td></td><td></td><td class="num"><b>${c.profile.source === 'timestamp-query' ? us(gpuTotal) : '–'}</b></td><td class="num"><b>${us(wallTotal)}</b></td>`;
    body.append(tr);
  }
  const k = kernels[Math.min(page.kernelIndex, kernels.length - 1)];
  if (k !== undefined) {
    ui.wgslTitle.textContent = `WGSL of @${k.name} (${k.template}, ${k.kernelClass}, workgroup size ${k.workgroupSize[0]}, ${k.workgroups.join('×')} workgroups)`;
    ui.wgsl.textContent = k.wgsl;
  }
}

ui.irGraph.addEventListener('click', () => {
  if (ui.irGraph.dataset['state'] === 'done') ui.irGraph.classList.toggle('actual');
});

ui.profile.addEventListener('click', () => {
  const c = page.selected;
  const s = page.session;
  if (c === undefined || s === undefined) return;
  const before = page.state;
  setState('training', `${statusLine()} · profiling ${specLabel(c)}…`);
  profile(s, c).then(() => {
    renderKernels();
    setState(before === 'done' ? 'done' : 'ready', statusLine(`profiled ${specLabel(c)}${c.fn === 'train' ? ' (one real training step, not plotted)' : ''}`));
  }, fail);
});

// ---- controls ----

for (const m of MODELS) {
  const opt = document.createElement('option');
  opt.value = m.id;
  opt.textContent = m.label;
  ui.model.append(opt);
}
const params = new URLSearchParams(location.search);
ui.model.value = modelSpec(params.get('model') ?? 'mlp').id;
if (params.has('steps')) ui.steps.value = params.get('steps')!;

ui.model.addEventListener('change', () => {
  page.stopRequested = true;
  if (page.device !== undefined && page.data !== undefined) newSession(ui.model.value as ModelId);
});
ui.reset.addEventListener('click', () => {
  page.seed++;
  newSession(ui.model.value as ModelId);
});
ui.train.addEventListener('click', () => {
  const n = Math.max(1, Math.floor(Number(ui.steps.value) || 1));
  train(n).catch(fail);
});
ui.stop.addEventListener('click', () => {
  page.stopRequested = true;
});
window.addEventListener('error', (e) => fail(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
window.addEventListener('resize', redrawPlot);

// ---- start ----

async function start(): Promise<void> {
  if ((navigator.gpu as GPU | undefined) === undefined)
    throw new Error('this browser has no WebGPU (navigator.gpu is absent): use Chrome or Edge 113+, or start Chromium with --enable-unsafe-webgpu');
  // The runtime's device policy (the adapter's own limits for what Kiln's kernels use, the optional
  // features it has), so the page compiles for exactly the device a k.jit program would get.
  const gpu = await requestWebGpuDevice();
  const device = gpu.device;
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed') fail(new Error(`the GPU device was lost: ${info.message}`));
  });
  page.device = device;
  const features = (['timestamp-query', 'subgroups'] as const).filter((f) => device.features.has(f));
  ui.device.textContent = `WebGPU: ${gpu.description}${gpu.kind === 'hardware' ? '' : ` (${gpu.kind} adapter)`}; features used: ${features.join(', ') || 'none'}; per-kernel times from ${features.includes('timestamp-query') ? 'timestamp queries' : 'the wall clock'}`;
  setState('loading', 'loading the MNIST subset…');
  page.data = await loadMnist();
  page.state = 'ready';
  newSession(ui.model.value as ModelId);
  ui.status.textContent += ` (${page.data.train.n} training and ${page.data.test.n} test images loaded)`;
  if (params.has('train')) ui.train.click();
}

renderBars(undefined);
drawLossPlot(ui.plot, { losses: [], accuracy: [] });
start().catch(fail);
