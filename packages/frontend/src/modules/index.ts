// Modules (k.nn.Module and the layer classes): stateful model objects whose parameters persist
// across traces; the functional forms in nn.ts remain for one-off scripts.
export { Module, type ModuleChild, type NamedParameter, type StateValue, type LoadStateDictOptions, type LoadReport } from './module.js';
export { Linear, type LinearModuleOptions } from './linear.js';
export { Sequential, Lambda, type Layer } from './sequential.js';
export { Conv1d, Conv2d, type Conv1dOptions, type Conv2dOptions, type ConvWeightOptions } from './conv.js';
export { Embedding, type EmbeddingModuleOptions } from './embedding.js';
export { LayerNorm, BatchNorm, type LayerNormModuleOptions, type BatchNormModuleOptions } from './normalization.js';
export { Dropout } from './dropout.js';
export { RNNCell, LSTMCell, GRUCell, RNN, LSTM, GRU, type RecurrentOptions, type RNNOptions, type LSTMOptions, type GRUOptions, type SequenceModuleOptions } from './recurrent.js';
export {
  MultiHeadAttention,
  TransformerBlock,
  type MultiHeadAttentionModuleOptions,
  type AttentionCallOptions,
  type TransformerBlockModuleOptions,
  type TransformerBlockCallOptions,
} from './attention.js';
export { Residual, type ResidualModuleOptions } from './residual.js';
export { GraphConv, type GraphConvModuleOptions } from './graph-conv.js';
export { SinusoidalPositionalEncoding } from './positional.js';
export { ReLU, LeakyReLU, Tanh, Sigmoid, GELU, SiLU, Softplus, Softmax, LogSoftmax } from './activation.js';
export { MaxPool2d, AvgPool2d, Flatten, type Pool2dOptions } from './pooling.js';
export { Parameter, parameter, buffer } from '../variable.js';
