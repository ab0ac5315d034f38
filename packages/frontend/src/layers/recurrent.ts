// Layers: recurrent layers unrolled over a static-length sequence [B, T, F] → [B, T, H]: T cell
// steps in the traced graph (static shapes, so the unrolled graph is what the compiler fuses and
// differentiates), sharing one set of parameters.

import { elementAt, formatShape } from '@kiln/ir';
import { at, stack } from '../layout.js';
import type { Tensor } from '../tensor.js';
import { currentTrace } from '../trace-context.js';
import { gruCell, lstmCell, rnnCell, type Cell, type CellOptions, type GruState, type LstmCellOptions, type LstmState, type RnnCellOptions, type RnnState } from './cells.js';
import { lastDim } from '../dims.js';

export interface SequenceOptions<S> {
  /** State before the first step (default zeros). */
  readonly initialState?: S;
  /** Run from the last step to the first (outputs stay in input order). */
  readonly reverse?: boolean;
}

export interface SequenceResult<S> {
  /** Hidden state after every step, [B, T, H]. */
  readonly outputs: Tensor;
  /** State after the last step. */
  readonly state: S;
}

/** Applies `cell` along dim 1 of x [B, T, F]; `hiddenOf` picks the per-step output from the state. */
export function unroll<S>(cell: Cell<S>, x: Tensor, hiddenOf: (s: S) => Tensor, opts: SequenceOptions<S> = {}): SequenceResult<S> {
  const ctx = x.trace;
  if (x.rank !== 3) throw ctx.error('unroll', `expects a sequence [batch, time, features], got ${formatShape(x.shape)}`, [x]);
  const [batch = 0, steps = 0] = x.shape;
  if (steps === 0) throw ctx.error('unroll', 'the sequence is empty', [x]);
  // Each step reads one time slice, and the gradient of a slice is padded back to the full
  // sequence, so backprop accumulates T full-size tensors: slicing the narrower of the input
  // [B, T, F] and its projection [B, T, gates·H] keeps that work smallest.
  const gates = elementAt(cell.params.wx.shape, 1, 'cell input weight shape (rank 2 checked by the cell)');
  const projectOnce = cell.inFeatures >= gates;
  return ctx.atCaller(() => {
    const proj = projectOnce ? cell.project(x) : x;
    let state = opts.initialState ?? cell.zeroState(batch);
    const outs: Tensor[] = new Array<Tensor>(steps);
    for (let k = 0; k < steps; k++) {
      const t = opts.reverse === true ? steps - 1 - k : k;
      const slice = at(proj, null, t);
      state = cell.step(projectOnce ? slice : cell.project(slice), state);
      outs[t] = hiddenOf(state);
    }
    return { outputs: stack(outs, 1), state };
  });
}

/** Elman RNN over x [B, T, F]. */
export function rnn(x: Tensor, hidden: number, opts: RnnCellOptions & SequenceOptions<RnnState> = {}): SequenceResult<RnnState> {
  currentTrace('k.layers.rnn').checkOwn('rnn', x);
  return unroll(rnnCell(lastDim(x, 'rnn'), hidden, opts), x, (h) => h, opts);
}

/** LSTM over x [B, T, F]; outputs are the h of every step. */
export function lstm(x: Tensor, hidden: number, opts: LstmCellOptions & SequenceOptions<LstmState> = {}): SequenceResult<LstmState> {
  currentTrace('k.layers.lstm').checkOwn('lstm', x);
  return unroll(lstmCell(lastDim(x, 'lstm'), hidden, opts), x, (s) => s.h, opts);
}

/** GRU over x [B, T, F]. */
export function gru(x: Tensor, hidden: number, opts: CellOptions & SequenceOptions<GruState> = {}): SequenceResult<GruState> {
  currentTrace('k.layers.gru').checkOwn('gru', x);
  return unroll(gruCell(lastDim(x, 'gru'), hidden, opts), x, (h) => h, opts);
}
