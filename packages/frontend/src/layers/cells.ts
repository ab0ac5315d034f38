// Layers: recurrent cells (Elman RNN, LSTM, GRU). Creating a cell creates its parameters once in
// a name scope; calling it performs one time step, so a cell can be applied at every step of a
// sequence with shared weights. Gate layouts follow PyTorch: LSTM [i, f, g, o], GRU [r, z, n].

import { elementAt, formatShape } from '@kiln/ir';
import { add, maximum, mul, sigmoid, sub, tanh } from '../elementwise.js';
import { glorotUniform, zeros, type Initializer } from '../init.js';
import { sliceAxis } from '../layout.js';
import { matmul } from '../linalg.js';
import { layerScope } from '../params.js';
import type { Tensor } from '../tensor.js';
import { currentTrace, type TraceContext } from '../trace-context.js';

export interface CellOptions {
  /** Scope name for the parameters (default `<kind><k>`: rnn0, lstm0, gru0). */
  readonly name?: string;
  /** Input weights [in, gates·hidden] (default Glorot uniform). */
  readonly inputInit?: Initializer;
  /** Recurrent weights [hidden, gates·hidden] (default Glorot uniform over one gate block). */
  readonly recurrentInit?: Initializer;
}

export interface CellParams {
  /** [in, gates·hidden] */
  readonly wx: Tensor;
  /** [hidden, gates·hidden] */
  readonly wh: Tensor;
  /** [gates·hidden], added to the input projection. */
  readonly b: Tensor;
  /** GRU only: [3·hidden] bias of the recurrent projection (PyTorch's b_hh; its n part is gated by r). */
  readonly bh?: Tensor;
}

/** A recurrent cell: `cell(x, state)` is one step; `project` + `step` split off the input matmul. */
export interface Cell<S> {
  (x: Tensor, state: S): S;
  readonly inFeatures: number;
  readonly hidden: number;
  readonly params: CellParams;
  /** x·wx + b for x [..., in]: precompute it for a whole sequence with one matmul. */
  project(x: Tensor): Tensor;
  /** One step from a projected input [B, gates·hidden]. */
  step(xProj: Tensor, state: S): S;
  zeroState(batch: number): S;
}

export type RnnState = Tensor;
export interface LstmState {
  readonly h: Tensor;
  readonly c: Tensor;
}
export type GruState = Tensor;

export type CellKind = 'rnn' | 'lstm' | 'gru';

/** Gate blocks per kind: RNN 1, LSTM 4 [i, f, g, o], GRU 3 [r, z, n]. */
const CELL_GATES: { readonly [K in CellKind]: number } = { rnn: 1, lstm: 4, gru: 3 };

/** Shape and initializer of one cell parameter. */
export interface CellParamInit {
  readonly shape: readonly number[];
  readonly init: Initializer;
}

/** What a cell of `kind` creates: wx, wh, b, and for the GRU bh. */
export interface CellParamInits {
  readonly wx: CellParamInit;
  readonly wh: CellParamInit;
  readonly b: CellParamInit;
  readonly bh?: CellParamInit;
}

/** The GRU's recurrent-projection bias bh [3·hidden] (zeros). */
export function gruRecurrentBiasInit(hidden: number): CellParamInit {
  return { shape: [3 * hidden], init: zeros() };
}

/**
 * Shapes and initializers of a cell's parameters: one definition for the k.layers cells and the
 * k.nn cell and sequence modules, so a model ported from one to the other starts out the same.
 */
export function cellParamInits(kind: CellKind, inF: number, hidden: number, opts: CellOptions & { readonly forgetBias?: number } = {}): CellParamInits {
  const gates = CELL_GATES[kind];
  const wx: CellParamInit = { shape: [inF, gates * hidden], init: opts.inputInit ?? glorotUniform({ fanIn: inF, fanOut: hidden }) };
  const wh: CellParamInit = { shape: [hidden, gates * hidden], init: opts.recurrentInit ?? glorotUniform({ fanIn: hidden, fanOut: hidden }) };
  switch (kind) {
    case 'rnn':
      return { wx, wh, b: { shape: [hidden], init: zeros() } };
    case 'lstm': {
      const fb = opts.forgetBias ?? 1;
      const init: Initializer = fb === 0 ? zeros() : { kind: 'values', values: Array.from({ length: 4 * hidden }, (_, j) => (j >= hidden && j < 2 * hidden ? fb : 0)) };
      return { wx, wh, b: { shape: [4 * hidden], init } };
    }
    case 'gru':
      return { wx, wh, b: { shape: [3 * hidden], init: zeros() }, bh: gruRecurrentBiasInit(hidden) };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

function createParams(ctx: TraceContext, kind: CellKind, inF: number, hidden: number, opts: CellOptions & { readonly forgetBias?: number }): CellParams {
  const inits = cellParamInits(kind, inF, hidden, opts);
  return layerScope(ctx, kind, opts.name, () => {
    const make = (name: string, p: CellParamInit): Tensor => ctx.createState(name, { dtype: 'f32', shape: [...p.shape] }, p.init);
    const wx = make('wx', inits.wx);
    const wh = make('wh', inits.wh);
    const b = make('b', inits.b);
    return inits.bh === undefined ? { wx, wh, b } : { wx, wh, b, bh: make('bh', inits.bh) };
  });
}

/** The k-th [B, hidden] block of a [B, gates·hidden] tensor. */
const gate = (t: Tensor, k: number, hidden: number): Tensor => sliceAxis(t, -1, k * hidden, (k + 1) * hidden);

function makeCell<S>(ctx: TraceContext, kind: string, inF: number, hidden: number, params: CellParams, step: (xProj: Tensor, state: S) => S, zeroState: (batch: number) => S): Cell<S> {
  const project = (x: Tensor): Tensor => {
    if (x.shape[x.rank - 1] !== inF) throw ctx.error(kind, `expects ${inF} input features in the last dim, got ${formatShape(x.shape)}`, [x]);
    return ctx.atCaller(() => add(matmul(x, params.wx), params.b));
  };
  const cell = (x: Tensor, state: S): S => step(project(x), state);
  return Object.assign(cell, {
    inFeatures: inF,
    hidden,
    params,
    project,
    step: (xProj: Tensor, state: S) => ctx.atCaller(() => step(xProj, state)),
    zeroState,
  });
}

function zerosState(ctx: TraceContext, batch: number, hidden: number): Tensor {
  return ctx.constant(0, { dtype: 'f32', shape: [batch, hidden] });
}

export interface RnnCellOptions extends CellOptions {
  readonly activation?: 'tanh' | 'relu';
}

/** Input and hidden sizes of explicit cell params (wx [in, gates·hidden], wh [hidden, gates·hidden]). */
function sizesOf(params: CellParams): { readonly inF: number; readonly hidden: number } {
  for (const [name, w] of [
    ['wx', params.wx],
    ['wh', params.wh],
  ] as const)
    if (w.rank !== 2) throw w.trace.error('cell', `cell weight ${name} must be a matrix [rows, gates·hidden], got ${formatShape(w.shape)}`, [w]);
  return { inF: elementAt(params.wx.shape, 0, 'cell wx shape'), hidden: elementAt(params.wh.shape, 0, 'cell wh shape') };
}

/** An Elman RNN cell over explicit parameters (module fields or state inputs): h' = act(x·wx + h·wh + b). */
export function rnnCellWith(ctx: TraceContext, params: CellParams, opts: { readonly activation?: 'tanh' | 'relu'; readonly op?: string } = {}): Cell<RnnState> {
  const { inF, hidden } = sizesOf(params);
  const act = opts.activation === 'relu' ? (t: Tensor) => maximum(t, 0) : tanh;
  return makeCell(
    ctx,
    opts.op ?? 'rnnCell',
    inF,
    hidden,
    params,
    (xp, h) => act(add(xp, matmul(h, params.wh))),
    (n) => zerosState(ctx, n, hidden),
  );
}

/** Elman RNN: h' = act(x·wx + h·wh + b). */
export function rnnCell(inFeatures: number, hidden: number, opts: RnnCellOptions = {}): Cell<RnnState> {
  const ctx = currentTrace('k.layers.rnnCell');
  return rnnCellWith(ctx, createParams(ctx, 'rnn', inFeatures, hidden, opts), opts);
}

export interface LstmCellOptions extends CellOptions {
  /** Initial forget-gate bias (default 1, so the cell starts out remembering). */
  readonly forgetBias?: number;
}

/** An LSTM cell over explicit parameters (gate layout [i, f, g, o]). */
export function lstmCellWith(ctx: TraceContext, params: CellParams, opts: { readonly op?: string } = {}): Cell<LstmState> {
  const { inF, hidden } = sizesOf(params);
  const step = (xp: Tensor, s: LstmState): LstmState => {
    const z = add(xp, matmul(s.h, params.wh));
    const i = sigmoid(gate(z, 0, hidden));
    const f = sigmoid(gate(z, 1, hidden));
    const g = tanh(gate(z, 2, hidden));
    const o = sigmoid(gate(z, 3, hidden));
    const c = add(mul(f, s.c), mul(i, g));
    return { h: mul(o, tanh(c)), c };
  };
  return makeCell(ctx, opts.op ?? 'lstmCell', inF, hidden, params, step, (n) => ({ h: zerosState(ctx, n, hidden), c: zerosState(ctx, n, hidden) }));
}

/**
 * LSTM: [i, f, g, o] = [σ, σ, tanh, σ] applied to (x·wx + h·wh + b); c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c').
 */
export function lstmCell(inFeatures: number, hidden: number, opts: LstmCellOptions = {}): Cell<LstmState> {
  const ctx = currentTrace('k.layers.lstmCell');
  return lstmCellWith(ctx, createParams(ctx, 'lstm', inFeatures, hidden, opts));
}

/** A GRU cell over explicit parameters (gate layout [r, z, n]; needs `bh`). */
export function gruCellWith(ctx: TraceContext, params: CellParams, opts: { readonly op?: string } = {}): Cell<GruState> {
  const { inF, hidden } = sizesOf(params);
  const bh = params.bh;
  if (bh === undefined) throw ctx.error(opts.op ?? 'gruCell', 'a GRU cell needs the recurrent bias bh');
  const step = (xp: Tensor, h: GruState): GruState => {
    const hp = add(matmul(h, params.wh), bh);
    const r = sigmoid(add(gate(xp, 0, hidden), gate(hp, 0, hidden)));
    const z = sigmoid(add(gate(xp, 1, hidden), gate(hp, 1, hidden)));
    const n = tanh(add(gate(xp, 2, hidden), mul(r, gate(hp, 2, hidden))));
    return add(n, mul(z, sub(h, n)));
  };
  return makeCell(ctx, opts.op ?? 'gruCell', inF, hidden, params, step, (n) => zerosState(ctx, n, hidden));
}

/**
 * GRU (PyTorch's form): r = σ(xr + hr), z = σ(xz + hz), n = tanh(xn + r ⊙ hn), h' = (1 - z) ⊙ n + z ⊙ h,
 * where x* = x·wx + b and h* = h·wh + bh, split into [r, z, n] blocks.
 */
export function gruCell(inFeatures: number, hidden: number, opts: CellOptions = {}): Cell<GruState> {
  const ctx = currentTrace('k.layers.gruCell');
  return gruCellWith(ctx, createParams(ctx, 'gru', inFeatures, hidden, opts));
}
