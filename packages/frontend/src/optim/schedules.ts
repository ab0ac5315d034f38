// Optimizers: learning-rate schedules as plain data, evaluated IN the traced graph from the
// optimizer's step counter (so one compiled graph serves every step), with a host-side twin
// (`scheduleValue`) for plots and tests. `step` counts updates already applied: 0 on the first.

import { KilnError } from '@kiln/ir';
import { add, cos, div, exp, floor, lt, minimum, mul, sub, where } from '../elementwise.js';
import type { Tensor } from '../tensor.js';

export type Schedule =
  | { readonly kind: 'constant'; readonly value: number }
  /** value · gamma^floor(step / every) */
  | { readonly kind: 'step'; readonly value: number; readonly every: number; readonly gamma: number }
  /** value · rate^(step / every), or rate^floor(step / every) when staircase */
  | { readonly kind: 'exponential'; readonly value: number; readonly every: number; readonly rate: number; readonly staircase: boolean }
  /** value · ((1 - alpha) · ½(1 + cos(π · min(step, steps) / steps)) + alpha): cosine from value down to alpha · value */
  | { readonly kind: 'cosine'; readonly value: number; readonly steps: number; readonly alpha: number }
  /** after(0) · (step + 1) / steps while step < steps, then after(step - steps) */
  | { readonly kind: 'warmup'; readonly steps: number; readonly after: Schedule };

/** A learning rate: a number (constant) or a schedule. */
export type LearningRate = number | Schedule;

function positiveInt(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new KilnError({ message: `${what} must be a positive integer, got ${v}` });
}

export const constantSchedule = (value: number): Schedule => ({ kind: 'constant', value });

export function stepDecay(value: number, opts: { every: number; gamma?: number }): Schedule {
  positiveInt('stepDecay every', opts.every);
  return { kind: 'step', value, every: opts.every, gamma: opts.gamma ?? 0.1 };
}

export function exponentialDecay(value: number, opts: { every: number; rate: number; staircase?: boolean }): Schedule {
  positiveInt('exponentialDecay every', opts.every);
  if (!(opts.rate > 0)) throw new KilnError({ message: `exponentialDecay rate must be > 0, got ${opts.rate}` });
  return { kind: 'exponential', value, every: opts.every, rate: opts.rate, staircase: opts.staircase ?? false };
}

export function cosineDecay(value: number, opts: { steps: number; alpha?: number }): Schedule {
  positiveInt('cosineDecay steps', opts.steps);
  return { kind: 'cosine', value, steps: opts.steps, alpha: opts.alpha ?? 0 };
}

/** Linear warmup over `steps` updates into `after` (a schedule or a constant). */
export function linearWarmup(steps: number, after: LearningRate): Schedule {
  positiveInt('linearWarmup steps', steps);
  return { kind: 'warmup', steps, after: asSchedule(after) };
}

export function asSchedule(lr: LearningRate): Schedule {
  return typeof lr === 'number' ? constantSchedule(lr) : lr;
}

/** The schedule's value after `step` updates, computed in f64 on the host. */
export function scheduleValue(s: Schedule, step: number): number {
  switch (s.kind) {
    case 'constant':
      return s.value;
    case 'step':
      return s.value * s.gamma ** Math.floor(step / s.every);
    case 'exponential': {
      const e = step / s.every;
      return s.value * s.rate ** (s.staircase ? Math.floor(e) : e);
    }
    case 'cosine': {
      const frac = Math.min(step, s.steps) / s.steps;
      return s.value * ((1 - s.alpha) * 0.5 * (1 + Math.cos(Math.PI * frac)) + s.alpha);
    }
    case 'warmup':
      return step < s.steps ? (scheduleValue(s.after, 0) * (step + 1)) / s.steps : scheduleValue(s.after, step - s.steps);
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** The schedule as an f32 scalar of the graph; `step` is an f32 scalar tensor (updates done so far). */
export function scheduleTensor(s: Schedule, step: Tensor): Tensor {
  const ctx = step.trace;
  switch (s.kind) {
    case 'constant':
      return ctx.constant(s.value, { dtype: 'f32', shape: [] });
    case 'step':
      // gamma^k as exp(k · ln gamma); gamma = 0 is allowed (rate drops to zero after `every` steps).
      if (s.gamma === 0) return where(lt(step, s.every), s.value, 0);
      return mul(exp(mul(floor(div(step, s.every)), Math.log(s.gamma))), s.value);
    case 'exponential': {
      // Division (not · 1/every) keeps step/every exact at multiples, so floor never drops a step.
      const e = div(step, s.every);
      return mul(exp(mul(s.staircase ? floor(e) : e, Math.log(s.rate))), s.value);
    }
    case 'cosine': {
      const frac = div(minimum(step, s.steps), s.steps);
      const c = mul(add(cos(mul(frac, Math.PI)), 1), 0.5);
      return mul(add(mul(c, 1 - s.alpha), s.alpha), s.value);
    }
    case 'warmup': {
      const ramp = mul(add(step, 1), scheduleValue(s.after, 0) / s.steps);
      const later = scheduleTensor(s.after, sub(step, s.steps));
      return where(lt(step, s.steps), ramp, later);
    }
    default: {
      const never: never = s;
      return never;
    }
  }
}
