// Example support: the Q-learning gridworld's transitions, rewards and seeded determinism.
import { describe, it, expect } from 'vitest';
import { Gridworld, type Action } from '../../examples/lib/datasets.js';

const RIGHT: Action = 1;
const DOWN: Action = 2;
const LEFT: Action = 3;
const UP: Action = 0;

describe('Gridworld', () => {
  it('moves deterministically without slip; walls and edges block', () => {
    const env = new Gridworld({ grid: ['S.#', '..G'], seed: 1 });
    expect(env.reset()).toBe(0);
    expect(env.step(UP)).toEqual({ state: 0, reward: -0.01, done: false, truncated: false }); // edge
    expect(env.step(LEFT).state).toBe(0);
    expect(env.step(RIGHT).state).toBe(1);
    expect(env.step(RIGHT).state).toBe(1); // wall at (2, 0)
    expect(env.step(DOWN).state).toBe(4);
    expect(env.step(RIGHT)).toEqual({ state: 5, reward: 1, done: true, truncated: false });
    expect(() => env.step(RIGHT)).toThrow(/reset/);
  });

  it('pits end the episode with the pit reward; maxSteps truncates', () => {
    const env = new Gridworld({ grid: ['SX', '.G'], seed: 1, maxSteps: 2 });
    env.reset();
    expect(env.step(RIGHT)).toEqual({ state: 1, reward: -1, done: true, truncated: false });
    env.reset();
    env.step(LEFT);
    expect(env.step(LEFT)).toEqual({ state: 0, reward: -0.01, done: true, truncated: true });
  });

  it('with slip, a trajectory is a function of the seed and actions', () => {
    const run = (seed: number): number[] => {
      const env = new Gridworld({ slip: 0.3, seed, maxSteps: 1000 });
      const states: number[] = [env.reset()];
      for (let t = 0; t < 60; t++) {
        const r = env.step((t % 4) as Action);
        states.push(r.state);
        if (r.done) states.push(env.reset());
      }
      return states;
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('encodes states one-hot and renders the agent', () => {
    const env = new Gridworld({ seed: 0 });
    expect(env.numStates).toBe(25);
    const obs = env.observation(7);
    expect(obs.length).toBe(25);
    expect(obs.reduce((a, b) => a + b, 0)).toBe(1);
    expect(obs[7]).toBe(1);
    env.reset();
    env.step(DOWN);
    expect(env.render().split('\n')[1]).toBe('A#...');
    expect(() => new Gridworld({ grid: ['..'], seed: 0 })).toThrow(/exactly one S/);
  });
});
