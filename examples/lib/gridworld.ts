// Example support: a small gridworld environment for the Q-learning example. The map is a list of
// strings; with slip > 0 an action is replaced by a random one, drawn from the environment's own
// seeded PRNG, so an episode is a deterministic function of (seed, actions).

import * as kiln from '@kiln/frontend';

/** S start, G goal (+1, ends), X pit (−1, ends), # wall (blocks), . free. */
export const DEFAULT_GRID: readonly string[] = ['S...#', '.#...', '.#.X.', '...#.', 'X...G'];

export const ACTIONS = ['up', 'right', 'down', 'left'] as const;
export type Action = 0 | 1 | 2 | 3;
const MOVES: readonly (readonly [number, number])[] = [
  [0, -1],
  [1, 0],
  [0, 1],
  [-1, 0],
]; // [dx, dy]

export interface GridworldOptions {
  readonly grid?: readonly string[];
  /** Probability that the chosen action is replaced by a uniformly random one. */
  readonly slip?: number;
  /** Reward on every non-terminal step (a small cost pushes towards short paths). */
  readonly stepReward?: number;
  readonly goalReward?: number;
  readonly pitReward?: number;
  /** Episodes are truncated (done, truncated = true) after this many steps. */
  readonly maxSteps?: number;
  readonly seed: number;
}

export interface StepResult {
  /** State index y * width + x. */
  readonly state: number;
  readonly reward: number;
  readonly done: boolean;
  readonly truncated: boolean;
}

export class Gridworld {
  readonly width: number;
  readonly height: number;
  readonly numStates: number;
  readonly numActions = 4;
  private readonly cells: readonly string[];
  private readonly start: number;
  private readonly slip: number;
  private readonly rewards: { readonly step: number; readonly goal: number; readonly pit: number };
  private readonly maxSteps: number;
  private readonly rng: kiln.data.Rng;
  private position: number;
  private steps = 0;
  private finished = true;

  constructor(options: GridworldOptions) {
    const grid = options.grid ?? DEFAULT_GRID;
    this.height = grid.length;
    this.width = grid[0]?.length ?? 0;
    if (this.height === 0 || this.width === 0 || grid.some((row) => row.length !== this.width)) {
      throw new Error('Gridworld: the grid must be a non-empty rectangle of equal-length rows');
    }
    this.cells = grid.join('').split('');
    const bad = this.cells.find((c) => !'SGX#.'.includes(c));
    if (bad !== undefined) throw new Error(`Gridworld: unknown cell ${JSON.stringify(bad)} (use S G X # .)`);
    const starts = this.cells.flatMap((c, i) => (c === 'S' ? [i] : []));
    if (starts.length !== 1) throw new Error(`Gridworld: the grid needs exactly one S, found ${starts.length}`);
    this.start = starts[0]!;
    this.numStates = this.width * this.height;
    this.slip = options.slip ?? 0;
    this.rewards = { step: options.stepReward ?? -0.01, goal: options.goalReward ?? 1, pit: options.pitReward ?? -1 };
    this.maxSteps = options.maxSteps ?? 100;
    this.rng = kiln.data.Rng.fromSeed(options.seed);
    this.position = this.start;
  }

  cell(state: number): string {
    return this.cells[state] ?? '#';
  }

  /** Starts an episode at S and returns the start state. */
  reset(): number {
    this.position = this.start;
    this.steps = 0;
    this.finished = false;
    return this.position;
  }

  step(action: Action): StepResult {
    if (this.finished) throw new Error('Gridworld.step: the episode is over; call reset()');
    if (!(action in MOVES)) throw new Error(`Gridworld.step: action must be 0..3, got ${action}`);
    // Always draw, so the random stream advances identically whether or not the agent slips.
    const slipped = this.rng.float() < this.slip;
    const randomAction = this.rng.int(4);
    const [dx, dy] = MOVES[slipped ? randomAction : action]!;
    const x = (this.position % this.width) + dx;
    const y = Math.floor(this.position / this.width) + dy;
    const inside = x >= 0 && x < this.width && y >= 0 && y < this.height;
    if (inside && this.cell(y * this.width + x) !== '#') this.position = y * this.width + x;
    this.steps += 1;
    const here = this.cell(this.position);
    const terminal = here === 'G' || here === 'X';
    const reward = here === 'G' ? this.rewards.goal : here === 'X' ? this.rewards.pit : this.rewards.step;
    const truncated = !terminal && this.steps >= this.maxSteps;
    this.finished = terminal || truncated;
    return { state: this.position, reward, done: this.finished, truncated };
  }

  /** One-hot encoding of a state, for a network-based Q function. */
  observation(state: number): Float32Array {
    const obs = new Float32Array(this.numStates);
    obs[state] = 1;
    return obs;
  }

  /** The grid with the agent drawn as A (for logging a rollout). */
  render(): string {
    const rows: string[] = [];
    for (let y = 0; y < this.height; y++) {
      let row = '';
      for (let x = 0; x < this.width; x++) row += y * this.width + x === this.position ? 'A' : this.cell(y * this.width + x);
      rows.push(row);
    }
    return rows.join('\n');
  }
}
