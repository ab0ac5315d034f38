// Modules: recurrent cells (RNNCell, LSTMCell, GRUCell: one step) and sequence layers (RNN, LSTM,
// GRU: unrolled over [B, T, F]) on the k.layers cell math with the weights as module fields.
// Weights are [in, gates·hidden] (x·W, like Linear) in PyTorch's gate order: LSTM [i, f, g, o], GRU [r, z, n].

import { elementAt, formatShape } from '@kiln/ir';
import type { Initializer } from '../init.js';
import {
  cellParamInits,
  gruCellWith,
  gruRecurrentBiasInit,
  lstmCellWith,
  rnnCellWith,
  type CellKind,
  type CellParamInit,
  type CellParams,
  type GruState,
  type LstmState,
  type RnnState,
} from '../layers/cells.js';
import { unroll, type SequenceResult } from '../layers/recurrent.js';
import type { Tensor } from '../tensor.js';
import { Parameter } from '../variable.js';
import { expectShape, requireSize } from './checks.js';
import { Module } from './module.js';

export interface RecurrentOptions {
  /** Initializer of `weightIh` [inputSize, gates·hiddenSize] (default Glorot uniform with fans (inputSize, hiddenSize), i.e. per gate block). */
  readonly inputInit?: Initializer;
  /** Initializer of `weightHh` [hiddenSize, gates·hiddenSize] (default Glorot uniform with fans (hiddenSize, hiddenSize)). */
  readonly recurrentInit?: Initializer;
}

export interface RNNOptions extends RecurrentOptions {
  /** Nonlinearity of h' = act(x·Wih + h·Whh + b) (default 'tanh'). */
  readonly activation?: 'tanh' | 'relu';
}

export interface LSTMOptions extends RecurrentOptions {
  /** Initial value of the forget-gate block of `bias` (default 1, so the cell starts out remembering; the other gates start at 0). */
  readonly forgetBias?: number;
}

export type GRUOptions = RecurrentOptions;

/** Sequence layers only: run from the last step to the first (outputs stay in input order; default false). */
export interface SequenceModuleOptions {
  readonly reverse?: boolean;
}

function parameterFrom(p: CellParamInit, label: string): Parameter {
  return new Parameter(p.shape, p.init, { label });
}

/** The weights every recurrent module holds, and the checks on its inputs and states. */
abstract class RecurrentBase extends Module {
  /** Input weights [inputSize, gates·hiddenSize]. */
  readonly weightIh: Parameter;
  /** Recurrent weights [hiddenSize, gates·hiddenSize]. */
  readonly weightHh: Parameter;
  /** Bias [gates·hiddenSize], added to the input projection. */
  readonly bias: Parameter;

  protected constructor(
    protected readonly layer: string,
    kind: CellKind,
    readonly inputSize: number,
    readonly hiddenSize: number,
    opts: RecurrentOptions & { readonly forgetBias?: number },
  ) {
    super();
    requireSize(layer, 'inputSize', inputSize);
    requireSize(layer, 'hiddenSize', hiddenSize);
    const inits = cellParamInits(kind, inputSize, hiddenSize, opts);
    this.weightIh = parameterFrom(inits.wx, 'weightIh');
    this.weightHh = parameterFrom(inits.wh, 'weightHh');
    this.bias = parameterFrom(inits.b, 'bias');
  }

  protected cellParams(): CellParams {
    return { wx: this.weightIh, wh: this.weightHh, b: this.bias };
  }

  /** Cells take one step x [B, inputSize]; sequence layers take x [B, T, inputSize]. */
  protected checkInput(x: Tensor, sequence: boolean): void {
    expectShape(x, this.layer, sequence ? ['B', 'T', this.inputSize] : ['B', this.inputSize]);
  }

  /** A state tensor must be [B, hiddenSize] for the input's batch B. */
  protected checkState(x: Tensor, h: Tensor, what: string): void {
    const batch = elementAt(x.shape, 0, 'cell input shape (checked by checkInput)');
    if (h.rank !== 2 || h.shape[0] !== batch || h.shape[1] !== this.hiddenSize)
      throw x.trace.error(this.layer, `${this.layer} expects the ${what} [${batch}, ${this.hiddenSize}] for input ${formatShape(x.shape)}, got ${formatShape(h.shape)}`, [x, h]);
  }
}

/** One Elman RNN step: h' = act(x·weightIh + h·weightHh + bias), x [B, inputSize], h [B, hiddenSize]. */
export class RNNCell extends RecurrentBase {
  readonly activation: 'tanh' | 'relu';

  constructor(
    /** Features of each input step (x's last dim). */
    inputSize: number,
    /** Width of the hidden state (and of each output step). */
    hiddenSize: number,
    opts: RNNOptions = {},
  ) {
    super('RNNCell', 'rnn', inputSize, hiddenSize, opts);
    this.activation = opts.activation ?? 'tanh';
  }

  /** The next hidden state; `h` defaults to zeros. */
  forward(x: Tensor, h?: Tensor): Tensor {
    this.checkInput(x, false);
    if (h !== undefined) this.checkState(x, h, 'hidden state');
    return x.trace.atCaller(() => {
      const cell = rnnCellWith(x.trace, this.cellParams(), { activation: this.activation, op: this.layer });
      return cell(x, h ?? cell.zeroState(elementAt(x.shape, 0, 'cell input shape (checked by checkInput)')));
    });
  }
}

/** One LSTM step on x [B, inputSize] and state {h, c} (each [B, hiddenSize]); gates [i, f, g, o]. */
export class LSTMCell extends RecurrentBase {
  constructor(
    /** Features of each input step (x's last dim). */
    inputSize: number,
    /** Width of the hidden state (and of each output step). */
    hiddenSize: number,
    opts: LSTMOptions = {},
  ) {
    super('LSTMCell', 'lstm', inputSize, hiddenSize, opts);
  }

  /** The next state {h, c}; `state` defaults to zeros. */
  forward(x: Tensor, state?: LstmState): LstmState {
    this.checkInput(x, false);
    if (state !== undefined) {
      this.checkState(x, state.h, 'state h');
      this.checkState(x, state.c, 'state c');
    }
    return x.trace.atCaller(() => {
      const cell = lstmCellWith(x.trace, this.cellParams(), { op: this.layer });
      return cell(x, state ?? cell.zeroState(elementAt(x.shape, 0, 'cell input shape (checked by checkInput)')));
    });
  }
}

/** One GRU step (PyTorch's form) on x [B, inputSize] and h [B, hiddenSize]; gates [r, z, n]. */
export class GRUCell extends RecurrentBase {
  /** Bias [3·hiddenSize] of the recurrent projection. */
  readonly biasHh: Parameter;

  constructor(
    /** Features of each input step (x's last dim). */
    inputSize: number,
    /** Width of the hidden state (and of each output step). */
    hiddenSize: number,
    opts: GRUOptions = {},
  ) {
    super('GRUCell', 'gru', inputSize, hiddenSize, opts);
    this.biasHh = parameterFrom(gruRecurrentBiasInit(hiddenSize), 'biasHh');
  }

  protected override cellParams(): CellParams {
    return { ...super.cellParams(), bh: this.biasHh };
  }

  /** The next hidden state; `h` defaults to zeros. */
  forward(x: Tensor, h?: Tensor): Tensor {
    this.checkInput(x, false);
    if (h !== undefined) this.checkState(x, h, 'hidden state');
    return x.trace.atCaller(() => {
      const cell = gruCellWith(x.trace, this.cellParams(), { op: this.layer });
      return cell(x, h ?? cell.zeroState(elementAt(x.shape, 0, 'cell input shape (checked by checkInput)')));
    });
  }
}

/** Elman RNN over x [B, T, inputSize] → outputs [B, T, hiddenSize] and the last hidden state [B, hiddenSize]. */
export class RNN extends RecurrentBase {
  readonly activation: 'tanh' | 'relu';
  readonly reverse: boolean;

  constructor(
    /** Features of each input step (x's last dim). */
    inputSize: number,
    /** Width of the hidden state (and of each output step). */
    hiddenSize: number,
    opts: RNNOptions & SequenceModuleOptions = {},
  ) {
    super('RNN', 'rnn', inputSize, hiddenSize, opts);
    this.activation = opts.activation ?? 'tanh';
    this.reverse = opts.reverse ?? false;
  }

  /** `h` is the state before the first step (default zeros). */
  forward(x: Tensor, h?: Tensor): SequenceResult<RnnState> {
    this.checkInput(x, true);
    if (h !== undefined) this.checkState(x, h, 'initial hidden state');
    return x.trace.atCaller(() =>
      unroll(rnnCellWith(x.trace, this.cellParams(), { activation: this.activation, op: this.layer }), x, (s) => s, {
        reverse: this.reverse,
        ...(h !== undefined ? { initialState: h } : {}),
      }),
    );
  }
}

/** LSTM over x [B, T, inputSize] → outputs (h of every step) [B, T, hiddenSize] and the last state {h, c}. */
export class LSTM extends RecurrentBase {
  readonly reverse: boolean;

  constructor(
    /** Features of each input step (x's last dim). */
    inputSize: number,
    /** Width of the hidden state (and of each output step). */
    hiddenSize: number,
    opts: LSTMOptions & SequenceModuleOptions = {},
  ) {
    super('LSTM', 'lstm', inputSize, hiddenSize, opts);
    this.reverse = opts.reverse ?? false;
  }

  /** `state` is the state before the first step (default zeros). */
  forward(x: Tensor, state?: LstmState): SequenceResult<LstmState> {
    this.checkInput(x, true);
    if (state !== undefined) {
      this.checkState(x, state.h, 'initial state h');
      this.checkState(x, state.c, 'initial state c');
    }
    return x.trace.atCaller(() =>
      unroll(lstmCellWith(x.trace, this.cellParams(), { op: this.layer }), x, (s) => s.h, { reverse: this.reverse, ...(state !== undefined ? { initialState: state } : {}) }),
    );
  }
}

/** GRU over x [B, T, inputSize] → outputs [B, T, hiddenSize] and the last hidden state [B, hiddenSize]. */
export class GRU extends RecurrentBase {
  /** Bias [3·hiddenSize] of the recurrent projection. */
  readonly biasHh: Parameter;
  readonly reverse: boolean;

  constructor(
    /** Features of each input step (x's last dim). */
    inputSize: number,
    /** Width of the hidden state (and of each output step). */
    hiddenSize: number,
    opts: GRUOptions & SequenceModuleOptions = {},
  ) {
    super('GRU', 'gru', inputSize, hiddenSize, opts);
    this.biasHh = parameterFrom(gruRecurrentBiasInit(hiddenSize), 'biasHh');
    this.reverse = opts.reverse ?? false;
  }

  protected override cellParams(): CellParams {
    return { ...super.cellParams(), bh: this.biasHh };
  }

  /** `h` is the state before the first step (default zeros). */
  forward(x: Tensor, h?: Tensor): SequenceResult<GruState> {
    this.checkInput(x, true);
    if (h !== undefined) this.checkState(x, h, 'initial hidden state');
    return x.trace.atCaller(() =>
      unroll(gruCellWith(x.trace, this.cellParams(), { op: this.layer }), x, (s) => s, { reverse: this.reverse, ...(h !== undefined ? { initialState: h } : {}) }),
    );
  }
}
