// Lowerings of the ai.onnx.preview.training optimizer ops Adagrad, Momentum (standard and
// Nesterov) and Adam: elementwise update formulas over each (X, G, state...) group; the step
// count T must be known at import time (it selects the bias correction). Attribute defaults are the
// spec's (onnx/defs/training/defs.cc): epsilon 1e-6 for Adagrad and Adam; Momentum's are required.

import type { ValueId } from '@kiln/ir';
import type { NodeCtx, OpRule } from './node-ctx.js';

/** Inputs after R and T split into `groups` equal lists (X..., G..., V..., ...). */
function groups(c: NodeCtx, count: number): ValueId[][] {
  const rest = c.node.inputs.length - 2;
  if (rest % count !== 0) throw c.error(`expects R, T and ${count} equal groups of tensors, got ${c.node.inputs.length} inputs`);
  const n = rest / count;
  return Array.from({ length: count }, (_, g) => Array.from({ length: n }, (_, i) => c.input(2 + g * n + i)));
}

/** The spec's default epsilon of Adagrad and Adam (test_adam_multiple's expected outputs were made with 1e-2 without setting it on the node). */
const SPEC_EPSILON = 1e-6;

/** A float attribute the spec marks required (no default). */
function required(c: NodeCtx, name: string): number {
  if (!c.hasAttr(name)) throw c.error(`attribute ${name} is required`);
  return c.float(name, 0);
}

function stepCount(c: NodeCtx): number {
  return c.staticScalar(1, 'T');
}

export const trainingRules: Readonly<Record<string, OpRule>> = {
  Adagrad: {
    attrs: ['decay_factor', 'epsilon', 'norm_coefficient'],
    lower: (c) => {
      const e = c.e;
      const [xs = [], gs = [], hs = []] = groups(c, 3);
      const t = stepCount(c);
      const r = e.withScalar('div', c.input(0), 1 + t * c.float('decay_factor', 0));
      const lambda = c.float('norm_coefficient', 0);
      const eps = c.float('epsilon', SPEC_EPSILON);
      const newX: ValueId[] = [];
      const newH: ValueId[] = [];
      xs.forEach((x, i) => {
        const g = e.op('add', [e.withScalar('mul', x, lambda), gs[i] ?? x], {});
        const h = e.op('add', [hs[i] ?? x, e.op('mul', [g, g], {})], {});
        const adaptive = e.withScalar('add', e.unary('sqrt', h), eps);
        newX.push(e.op('sub', [x, e.binary('mul', r, e.op('div', [g, adaptive], {}))], {}));
        newH.push(h);
      });
      return [...newX, ...newH];
    },
  },
  Momentum: {
    attrs: ['alpha', 'beta', 'mode', 'norm_coefficient'],
    lower: (c) => {
      const e = c.e;
      const [xs = [], gs = [], vs = []] = groups(c, 3);
      const t = stepCount(c);
      const alpha = required(c, 'alpha');
      const betaAttr = required(c, 'beta');
      const beta = t > 0 ? betaAttr : 1; // the spec's first step (T = 0) takes the gradient unscaled
      const lambda = required(c, 'norm_coefficient');
      if (!c.hasAttr('mode')) throw c.error('attribute mode is required');
      const mode = c.string('mode', 'standard');
      if (mode !== 'standard' && mode !== 'nesterov') throw c.unsupported(`Momentum mode "${mode}"`);
      const r = c.input(0);
      const newX: ValueId[] = [];
      const newV: ValueId[] = [];
      xs.forEach((x, i) => {
        const g = e.op('add', [e.withScalar('mul', x, lambda), gs[i] ?? x], {});
        const v = e.op('add', [e.withScalar('mul', vs[i] ?? x, alpha), e.withScalar('mul', g, beta)], {});
        const dir = mode === 'standard' ? v : e.op('add', [g, e.withScalar('mul', v, alpha)], {});
        newX.push(e.op('sub', [x, e.binary('mul', r, dir)], {}));
        newV.push(v);
      });
      return [...newX, ...newV];
    },
  },
  Adam: {
    attrs: ['alpha', 'beta', 'epsilon', 'norm_coefficient', 'norm_coefficient_post'],
    lower: (c) => {
      const e = c.e;
      const [xs = [], gs = [], vs = [], hs = []] = groups(c, 4);
      const t = stepCount(c);
      const alpha = c.float('alpha', 0.9);
      const beta = c.float('beta', 0.999);
      const eps = c.float('epsilon', SPEC_EPSILON);
      const lambda = c.float('norm_coefficient', 0);
      const post = c.float('norm_coefficient_post', 0);
      const r = t > 0 ? e.withScalar('mul', c.input(0), Math.sqrt(1 - beta ** t) / (1 - alpha ** t)) : c.input(0);
      const newX: ValueId[] = [];
      const newV: ValueId[] = [];
      const newH: ValueId[] = [];
      xs.forEach((x, i) => {
        const g = e.op('add', [e.withScalar('mul', x, lambda), gs[i] ?? x], {});
        const v = e.op('add', [e.withScalar('mul', vs[i] ?? x, alpha), e.withScalar('mul', g, 1 - alpha)], {});
        const h = e.op('add', [e.withScalar('mul', hs[i] ?? x, beta), e.withScalar('mul', e.op('mul', [g, g], {}), 1 - beta)], {});
        const step = e.binary('mul', r, e.op('div', [v, e.withScalar('add', e.unary('sqrt', h), eps)], {}));
        newX.push(e.withScalar('mul', e.op('sub', [x, step], {}), 1 - post));
        newV.push(v);
        newH.push(h);
      });
      return [...newX, ...newV, ...newH];
    },
  },
};
