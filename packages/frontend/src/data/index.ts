// Host-side data helpers for training scripts: seeded PRNG, permutations, splits, minibatches,
// label/feature preprocessing. Plain typed arrays in, plain typed arrays out; no graph involved.

/**
 * Host-side data helpers: seeded shuffling, splits, `loader(dataset, { batchSize, seed })` epochs and minibatches, preprocessing.
 * @module
 */
export { Rng, deriveSeed, splitmix64, rngFrom } from './random.js';
export { shuffle, trainTestSplit, type Split } from './sampling.js';
export { batches, selectRows, numBatches, type Batch, type BatchOptions, type ColumnsOf, type Dataset, type RowArray } from './batches.js';
export { oneHot, featureStats, applyStandardization, standardize, type FeatureStats } from './preprocess.js';
export { loader, DataLoader, type LoaderOptions, type EpochBatch } from './loader.js';
