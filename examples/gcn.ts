// Example: a two-layer graph convolutional network (Kipf & Welling) classifying the nodes of a
// synthetic community graph from noisy features, semi-supervised: the loss sees the labels of 20%
// of the nodes; accuracy is measured on the rest. Propagation Â·H uses the weighted edge list
// (gather from sources, scatter_add into destinations). Run: pnpm exec tsx examples/gcn.ts

import * as k from '@kiln/frontend';
import { argmaxAt, array, compileWith, isMain, runMain, scalar, type TrainOptions, type TrainResult } from './common.js';
import { communityGraph, gcnNormalizedEdges } from './lib/datasets.js';

const FEATURES = 16;
const HIDDEN = 16;

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const graph = communityGraph({ nodes: 150, communities: 3, featureDim: FEATURES, featureNoise: 5, seed: opts.seed });
  const edges = gcnNormalizedEdges(graph.n, graph.edges);
  const split = k.data.trainTestSplit(graph.n, 0.8, opts.seed);
  const e = edges.src.length;
  const traced = k.trace(({ x, src, dst, weight, labeled, labels }) => {
    const adj = { src, dst, weight };
    const h = k.nn.dropout(k.layers.graphConv(x, adj, FEATURES, HIDDEN).relu(), 0.3);
    const logits = k.layers.graphConv(h, adj, HIDDEN, graph.numClasses);
    const loss = k.losses.softmaxCrossEntropy(logits.gather(labeled, 0), labels, { reduction: 'mean' });
    return { loss, logits, updates: k.optim.adam({ lr: 0.01, weightDecay: 5e-4 }).minimize(loss) };
  }, {
    x: k.f32([graph.n, FEATURES]),
    src: k.i32([e]),
    dst: k.i32([e]),
    weight: k.f32([e]),
    labeled: k.i32([split.train.length]),
    labels: k.i32([split.train.length]),
  }, { name: 'gcn_train' });
  const step = await compileWith(traced, opts);
  const inputs = {
    x: graph.features,
    src: edges.src,
    dst: edges.dst,
    weight: edges.weight,
    labeled: Int32Array.from(split.train),
    labels: Int32Array.from(split.train, (i) => graph.labels[i]!),
  };
  const losses: number[] = [];
  let logits: ArrayLike<number> = [];
  for (let s = 1; s <= opts.steps; s++) {
    const out = await step.run(inputs);
    losses.push(scalar(out, 'loss'));
    logits = array(out, 'logits');
    opts.onStep?.(s, losses[s - 1]!);
  }
  // The last step's logits were computed with dropout; good enough for a progress metric, but the
  // reported accuracy uses a dropout-free forward pass with the trained weights.
  const evalGraph = k.trace(({ x, src, dst, weight }) => {
    const adj = { src, dst, weight };
    return { logits: k.layers.graphConv(k.layers.graphConv(x, adj, FEATURES, HIDDEN).relu(), adj, HIDDEN, graph.numClasses) };
  }, { x: k.f32([graph.n, FEATURES]), src: k.i32([e]), dst: k.i32([e]), weight: k.f32([e]) }, { name: 'gcn_eval' });
  const evalStep = await compileWith(evalGraph, opts, await step.params());
  logits = array(await evalStep.run({ x: inputs.x, src: inputs.src, dst: inputs.dst, weight: inputs.weight }), 'logits');
  const acc = (rows: Uint32Array): number => rows.reduce((hits, r) => hits + (argmaxAt(logits, r * graph.numClasses, graph.numClasses) === graph.labels[r] ? 1 : 0), 0) / rows.length;
  step.dispose();
  evalStep.dispose();
  return { losses, metrics: { 'accuracy on labelled nodes': acc(split.train), 'accuracy on unlabelled nodes': acc(split.test) } };
}

if (isMain(import.meta.url)) await runMain({ name: 'gcn', defaultSteps: 200, train });
