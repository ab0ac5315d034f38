// Layers (k.layers): recurrent cells and unrolled RNN/LSTM/GRU, batch norm, multi-head attention
// and transformer blocks, positional encodings, residual connections, graph convolution. The
// basic layers (linear, conv1d/conv2d, embedding, layerNorm, dropout) live in k.nn.

/**
 * Functional layers that create their parameters by name inside a trace (batch norm, recurrent cells and layers, attention, residual, graph convolution); the module classes in `nn` wrap the same math.
 * @module
 */
export {
  rnnCell,
  lstmCell,
  gruCell,
  type Cell,
  type CellOptions,
  type CellParams,
  type RnnCellOptions,
  type LstmCellOptions,
  type RnnState,
  type LstmState,
  type GruState,
} from './cells.js';
export { unroll, rnn, lstm, gru, type SequenceOptions, type SequenceResult } from './recurrent.js';
export { batchNorm, type BatchNormOptions } from './batch-norm.js';
export { multiHeadAttention, transformerBlock, type MultiHeadAttentionOptions, type TransformerBlockOptions } from './attention.js';
export { sinusoidalTable, sinusoidalPositionalEncoding } from './positional.js';
export { residual, type ResidualOptions } from './residual.js';
export { graphConv, propagate, type GraphConvOptions, type WeightedEdges } from './graph-conv.js';
