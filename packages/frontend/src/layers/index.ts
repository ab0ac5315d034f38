// Layers (k.layers): recurrent cells and unrolled RNN/LSTM/GRU, batch norm, multi-head attention
// and transformer blocks, positional encodings, residual connections, graph convolution. The
// basic layers (linear, conv1d/conv2d, embedding, layerNorm, dropout) live in k.nn.
export { rnnCell, lstmCell, gruCell, type Cell, type CellOptions, type CellParams, type RnnCellOptions, type LstmCellOptions, type RnnState, type LstmState, type GruState } from './cells.js';
export { unroll, rnn, lstm, gru, type SequenceOptions, type SequenceResult } from './recurrent.js';
export { batchNorm, type BatchNormOptions } from './batch-norm.js';
export { multiHeadAttention, transformerBlock, type MultiHeadAttentionOptions, type TransformerBlockOptions } from './attention.js';
export { sinusoidalTable, sinusoidalPositionalEncoding } from './positional.js';
export { residual, type ResidualOptions } from './residual.js';
export { graphConv, propagate, type GraphConvOptions, type WeightedEdges } from './graph-conv.js';
