// Frontend: the `nn` namespace users see — the functional layers (nn.ts) and the Module classes
// (modules/) together; kept apart from nn.ts because the modules are built on nn.ts's functions.

/**
 * Layers: module classes (`new k.nn.Linear(784, 256)`, `Conv2d`, `LSTM`, `MultiHeadAttention`, `Sequential`, …) that hold their parameters across traces, and the functional forms (`k.nn.linear(x, 784, 256)`) for one-off traced scripts.
 * @module
 */

export * from './nn.js';
export * from './modules/index.js';
