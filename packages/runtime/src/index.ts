// @kiln/runtime — the Backend interface, the CPU interpreter (reference semantics) and backends.
export * from './backend.js';
export * from './cpu/index.js';
export * from './webgpu/index.js';
export * from './state-store.js';
export * from './tune/index.js';
