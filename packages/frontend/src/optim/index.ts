// Optimizers (k.optim): factories for every kind, learning-rate schedules and gradient clipping.
// `k.optim.adam({ lr: 1e-3 }).minimize(loss)` inside a trace returns the state updates record.

/**
 * Optimizers (`k.optim.adam({ lr })`), learning-rate schedules and gradient clipping. `opt.minimize(loss)` inside a traced or jitted function returns the state updates.
 * @module
 */

import { Optimizer } from './optimizer.js';
import type { AdagradOptions, AdamOptions, CommonOptions, MomentumOptions, RmspropOptions } from './rules.js';

export { Optimizer, type MinimizeOptions, type UpdateInfo } from './optimizer.js';
export { rules, type OptimizerKind, type OptionsByKind, type CommonOptions, type MomentumOptions, type RmspropOptions, type AdagradOptions, type AdamOptions } from './rules.js';
export { constantSchedule, stepDecay, exponentialDecay, cosineDecay, linearWarmup, asSchedule, scheduleValue, scheduleTensor, type Schedule, type LearningRate } from './schedules.js';
export { globalNorm, clipByGlobalNorm, type Clipped } from './clip.js';

/** Plain gradient descent (default lr 0.01). */
export const sgd = (opts: CommonOptions = {}): Optimizer<'sgd'> => new Optimizer('sgd', opts);
/** Heavy-ball momentum, v' = μv + g, θ' = θ − lr·v' (default lr 0.01, μ 0.9). */
export const momentum = (opts: MomentumOptions = {}): Optimizer<'momentum'> => new Optimizer('momentum', opts);
/** Nesterov momentum, θ' = θ − lr·(g + μv') (default lr 0.01, μ 0.9). */
export const nesterov = (opts: MomentumOptions = {}): Optimizer<'nesterov'> => new Optimizer('nesterov', opts);
export const rmsprop = (opts: RmspropOptions = {}): Optimizer<'rmsprop'> => new Optimizer('rmsprop', opts);
export const adagrad = (opts: AdagradOptions = {}): Optimizer<'adagrad'> => new Optimizer('adagrad', opts);
export const adam = (opts: AdamOptions = {}): Optimizer<'adam'> => new Optimizer('adam', opts);
/** Adam with decoupled weight decay (default λ 0.01). */
export const adamw = (opts: AdamOptions = {}): Optimizer<'adamw'> => new Optimizer('adamw', opts);
