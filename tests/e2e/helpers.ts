// E2E test helpers: summarise a loss curve (mean of its first and last tenth) and find a metric
// by the start of its name, so assertions state the factor by which training must cut the loss.

import { expect } from 'vitest';
import type { Graph } from '@kiln/ir';
import { arenaSize, planMemory } from '@kiln/passes';
import type { CompiledFunction } from '../../examples/common.js';

export interface Result {
  readonly losses: readonly number[];
  readonly metrics: Readonly<Record<string, number | string>>;
}

function meanOf(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Mean of the first and the last 10% of the losses (at least one step each). */
export function ends(losses: readonly number[]): { first: number; last: number } {
  const n = Math.max(1, Math.round(losses.length / 10));
  return { first: meanOf(losses.slice(0, n)), last: meanOf(losses.slice(-n)) };
}

/** Asserts every loss is finite and the final average is below `factor` × the initial average. */
export function expectLossFalls(r: Result, steps: number, factor: number): void {
  expect(r.losses.length).toBe(steps);
  expect(r.losses.every(Number.isFinite), 'all losses finite').toBe(true);
  const { first, last } = ends(r.losses);
  expect(last, `final average loss ${last} vs initial ${first} (must be < ${factor} ×)`).toBeLessThan(factor * first);
}

/** The metric whose name starts with `prefix`. */
export function metric(r: Result, prefix: string): number | string {
  const key = Object.keys(r.metrics).find((n) => n.startsWith(prefix));
  if (key === undefined) throw new Error(`no metric starting with "${prefix}" in ${Object.keys(r.metrics).join(', ')}`);
  return r.metrics[key]!;
}

export function numericMetric(r: Result, prefix: string): number {
  const v = metric(r, prefix);
  if (typeof v !== 'number') throw new Error(`metric "${prefix}" is not a number: ${v}`);
  return v;
}

/** The backend the e2e models train on: WebGPU (llvmpipe in CI), the path users get from 'auto'. */
export const E2E_BACKEND = 'webgpu' as const;

/**
 * Options that check the compiled training step's memory plan (issue: peak within 10% of the
 * lower bound, the largest set of transients live at once) and record it for the test. The plan is
 * read from the graph the step runs (`lastCompiled.graph`, annotated by plan-memory): the arena it
 * allocates, against the lower bound of the same schedule.
 */
export function planChecked(): { onFirstStep: (step: CompiledFunction) => void; plan: () => Readonly<Record<string, number>> } {
  let graph: Graph | undefined;
  return {
    onFirstStep: (step) => {
      graph = step.lastCompiled?.graph;
    },
    plan: () => {
      if (graph === undefined) throw new Error('the training step never reported its compiled graph');
      if (!graph.nodes.some((n) => n.annotations?.buf !== undefined)) throw new Error('the training step was compiled without a plan-memory pass');
      return { peakBytes: arenaSize(graph), lowerBoundBytes: planMemory(graph).stats.lowerBoundBytes };
    },
  };
}

export function expectPlanNearLowerBound(plan: Readonly<Record<string, number>>): void {
  const peak = plan['peakBytes']!;
  const bound = plan['lowerBoundBytes']!;
  expect(bound).toBeGreaterThan(0);
  expect(peak, `arena peak ${peak} B vs lower bound ${bound} B`).toBeLessThanOrEqual(1.1 * bound);
}
