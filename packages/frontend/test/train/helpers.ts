// Training-loop tests: a scripted fake run (losses and validation metrics given per epoch, a fake
// clock) so fit's bookkeeping, callbacks and output can be checked exactly, with no graph involved.
import type { FitOptions } from '../../src/train/index.js';

/** A clock the fake steps advance by hand, in milliseconds. */
export function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export interface Script {
  /** Batch losses per epoch; the epoch's batches are their indices 0..k-1. */
  readonly losses: readonly (readonly number[])[];
  /** Validation metrics per epoch (omit for no validate). */
  readonly metrics?: readonly Readonly<Record<string, number>>[];
  readonly stepMs?: number;
  readonly validateMs?: number;
}

export interface ScriptedRun {
  readonly options: Pick<FitOptions<number>, 'epochs' | 'train' | 'trainStep' | 'validate' | 'now'>;
  /** `${epoch}:${batch}` per trainStep call, and `val:${epoch}` per validate call, in order. */
  readonly calls: string[];
}

/** fit() options that replay `script`: every call is recorded, time moves only when steps run. */
export function scripted(script: Script): ScriptedRun {
  const clock = fakeClock();
  const calls: string[] = [];
  const { losses, metrics, stepMs = 250, validateMs = 500 } = script;
  const options: ScriptedRun['options'] = {
    epochs: losses.length,
    train: { epoch: (e: number) => (losses[e] ?? []).map((_, i) => i) },
    trainStep: async (batch, info) => {
      calls.push(`${info.epoch}:${batch}`);
      clock.advance(stepMs);
      const loss = losses[info.epoch]?.[batch];
      if (loss === undefined) throw new Error(`no scripted loss for epoch ${info.epoch}, batch ${batch}`);
      return loss;
    },
    now: clock.now,
    ...(metrics !== undefined
      ? {
          validate: async (epoch: number) => {
            calls.push(`val:${epoch}`);
            clock.advance(validateMs);
            const m = metrics[epoch];
            if (m === undefined) throw new Error(`no scripted metrics for epoch ${epoch}`);
            return m;
          },
        }
      : {}),
  };
  return { options, calls };
}

/** Scripted losses for `epochs` epochs of `steps` steps each, all equal to 1. */
export function flat(epochs: number, steps = 2): number[][] {
  return Array.from({ length: epochs }, () => Array.from({ length: steps }, () => 1));
}
