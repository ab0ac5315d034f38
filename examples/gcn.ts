// Example: a two-layer graph convolutional network (Kipf & Welling) classifying the nodes of a
// synthetic community graph from noisy features, semi-supervised: the loss sees the labels of 20%
// of the nodes; accuracy is measured on the rest. Propagation Â·H uses the weighted edge list
// (gather from sources, scatter_add into destinations). Training runs in training mode (dropout
// on); the accuracy comes from a second jitted function in eval mode on the same model.
// Run: pnpm exec tsx examples/gcn.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { argmaxAt, isMain, jitOptions, runMain, type TrainOptions, type TrainResult } from './common.js';
import { communityGraph, gcnNormalizedEdges } from './lib/datasets.js';

const FEATURES = 16;
const HIDDEN = 16;

/** Node features x [N, FEATURES] and the normalised adjacency as weighted edges → class logits [N, classes]. */
export class Gcn extends k.nn.Module {
  readonly conv1 = new k.nn.GraphConv(FEATURES, HIDDEN);
  readonly dropout = new k.nn.Dropout(0.3);
  readonly conv2: k.nn.GraphConv;

  constructor(classes: number) {
    super();
    this.conv2 = new k.nn.GraphConv(HIDDEN, classes);
  }

  forward(x: k.Tensor, adjacency: k.layers.WeightedEdges): k.Tensor {
    return this.conv2.forward(this.dropout.forward(this.conv1.forward(x, adjacency).relu()), adjacency);
  }
}

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const graph = communityGraph({ nodes: 150, communities: 3, featureDim: FEATURES, featureNoise: 5, seed: opts.seed });
  const edges = gcnNormalizedEdges(graph.n, graph.edges);
  const split = k.data.trainTestSplit(graph.n, 0.8, opts.seed);
  k.manualSeed(opts.seed);
  const model = new Gcn(graph.numClasses);
  const opt = k.optim.adam({ lr: 0.01, weightDecay: 5e-4 });
  const step = k.jit(
    ({ x, src, dst, weight, labeled, labels }: k.Inputs<'x' | 'src' | 'dst' | 'weight' | 'labeled' | 'labels'>) => {
      const logits = model.forward(x, { src, dst, weight });
      const loss = k.losses.softmaxCrossEntropy(logits.gather(labeled, 0), labels, { reduction: 'mean' });
      return { loss, updates: opt.minimize(loss) };
    },
    jitOptions(opts, 'gcn_train'),
  );
  const predict = k.jit(({ x, src, dst, weight }: k.Inputs<'x' | 'src' | 'dst' | 'weight'>) => ({ logits: model.forward(x, { src, dst, weight }) }), jitOptions(opts, 'gcn_predict'));

  const e = edges.src.length;
  const graphInputs = { x: k.tensor(graph.features, [graph.n, FEATURES]), src: k.tensor(edges.src, [e]), dst: k.tensor(edges.dst, [e]), weight: k.tensor(edges.weight, [e]) };
  const labeled = Int32Array.from(split.train);
  const trainInputs = {
    ...graphInputs,
    labeled: k.tensor(labeled, [labeled.length]),
    labels: k.tensor(
      Int32Array.from(split.train, (i) => graph.labels[i]!),
      [labeled.length],
    ),
  };
  const losses: number[] = [];
  model.train();
  for (let s = 1; s <= opts.steps; s++) {
    const { loss } = await step(trainInputs);
    losses.push(loss.item());
    if (s === 1) opts.onFirstStep?.(step);
    opts.onStep?.(s, loss.item());
  }
  // Eval mode: dropout is the identity, so every node's logits use the whole trained network.
  model.eval();
  const { logits } = await predict(graphInputs);
  const c = graph.numClasses;
  const acc = (rows: Uint32Array): number => rows.reduce((hits, r) => hits + (argmaxAt(logits.data, r * c, c) === graph.labels[r] ? 1 : 0), 0) / rows.length;
  step.dispose();
  predict.dispose();
  return { losses, metrics: { 'accuracy on labelled nodes': acc(split.train), 'accuracy on unlabelled nodes': acc(split.test) } };
}

if (isMain(import.meta.url)) await runMain({ name: 'gcn', defaultSteps: 200, train });
