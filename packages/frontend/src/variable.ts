// Frontend: Variables — persistent tensors with an identity (module parameters, running
// statistics, optimizer slots). A Variable is a Tensor in whichever trace uses it (bound there as
// a state input on first use) and lives in exactly one device state store at a time, moving with
// its value when a graph on another device needs it.

import { KilnError, formatType, mix32, typesEqual, type DType, type Shape, type TensorType } from '@kiln/ir';
import { toHostTensor, type HostInput, type StateSlot, type StateStore } from '@kiln/runtime';
import { HostTensor, fromRuntime } from './host-tensor.js';
import { initialize, type Initializer } from './init.js';
import { Tensor } from './tensor.js';
import { activeTrace, currentTrace, type TraceContext } from './trace-context.js';

/** Seeds for new variables: `k.manualSeed(s)` makes the next models built initialise identically. */
const generator = { seed: 0, counter: 0 };

/** Resets the seed from which new variables draw their initial values (as torch.manual_seed). */
export function manualSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new KilnError({ message: `k.manualSeed: the seed must be an integer, got ${seed}` });
  generator.seed = seed;
  generator.counter = 0;
}

/** A seed from the k.manualSeed generator (each call a new one). */
export function drawSeed(): number {
  return nextSeed();
}

function nextSeed(): number {
  return mix32((mix32(generator.seed >>> 0) + generator.counter++) >>> 0);
}

export interface VariableOptions {
  readonly dtype?: DType;
  /** Trainable variables are what optimizers update (default true for parameters, false otherwise). */
  readonly trainable?: boolean;
  /** Base of the variable's name in IR text when no module names it (default 'var'). */
  readonly label?: string;
  /** Initial-value seed and name (default: drawn from the k.manualSeed generator). */
  readonly seed?: number;
  readonly seedName?: string;
}

/** A variable that is garbage-collected gives its device slot back (models made in a loop do not leak GPU memory). */
const released = new FinalizationRegistry<{ readonly store: StateStore; readonly slot: StateSlot }>(({ store, slot }) => store.free(slot));

/** Where a variable's value is: its initializer, a host value not yet placed, or a device slot. */
type Home = { readonly kind: 'initial' } | { readonly kind: 'host'; readonly value: HostTensor } | { readonly kind: 'device'; readonly store: StateStore; readonly slot: StateSlot };

/** A persistent tensor with an identity (parameters, buffers, optimizer slots): bound into every trace that uses it, its value kept on the device that ran it last. */
export class Variable extends Tensor {
  readonly init: Initializer;
  /** Base of the IR name when no module path names the variable. */
  readonly label: string;
  private trainableFlag: boolean;
  private readonly seed: number;
  private readonly seedName: string;
  private home: Home = { kind: 'initial' };
  private placing: Promise<StateSlot> | undefined;

  constructor(shape: Shape, init: Initializer, opts: VariableOptions = {}) {
    const type: TensorType = { dtype: opts.dtype ?? 'f32', shape: [...shape] };
    for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new KilnError({ message: `a variable needs non-negative integer dims, got ${formatType(type)}` });
    super(undefined, -1, type);
    this.init = init;
    this.label = opts.label ?? 'var';
    this.trainableFlag = opts.trainable ?? false;
    this.seed = opts.seed ?? nextSeed();
    this.seedName = opts.seedName ?? 'variable';
  }

  /** The innermost active trace (a variable belongs to every trace that uses it). */
  override get trace(): TraceContext {
    return currentTrace(`using the variable ${this.label}`);
  }

  /** The state input this variable is in the innermost active trace (bound on first use). */
  override get id(): number {
    return this.trace.bindVariable(this).id;
  }

  /** Whether optimizers update it. Reading it inside a trace makes the trace depend on it. */
  get trainable(): boolean {
    activeTrace()?.noteStatic(() => this.trainableFlag, this.trainableFlag);
    return this.trainableFlag;
  }

  set trainable(on: boolean) {
    this.trainableFlag = on;
  }

  /** True for module parameters (k.nn.Parameter), false for buffers and optimizer slots. */
  get isParameter(): boolean {
    return false;
  }

  override toString(): string {
    return `${this.isParameter ? 'Parameter' : 'Variable'}(${this.label}: ${formatType(this.type)})`;
  }

  /** The value as it would be placed now: the initializer's values, or the last host value set. */
  private hostValue(): HostTensor {
    if (this.home.kind === 'host') return this.home.value;
    const data = initialize({ name: this.seedName, type: this.type, init: this.init }, this.seed);
    return new HostTensor(this.type, data);
  }

  /** The current value (read from its device when it has been placed on one). */
  async read(): Promise<HostTensor> {
    await this.placing;
    const h = this.home;
    return h.kind === 'device' ? fromRuntime(await h.store.read(h.slot)) : new HostTensor(this.type, this.hostValue().data.slice());
  }

  /** Replaces the value (on its device when it has been placed on one; queued after runs already started). */
  async write(value: HostInput): Promise<void> {
    if (typeof value === 'object' && 'type' in value && !typesEqual(value.type, this.type))
      throw new KilnError({ message: `${this.label}: a ${formatType(value.type)} value cannot be written to a ${formatType(this.type)} variable` });
    // Checked and converted now; kept in f64 on the host so an f64 store receives it unrounded.
    const t = fromRuntime(toHostTensor(value, this.type, 'f64', this.label));
    await this.placing;
    const h = this.home;
    // A lost device's slot cannot take it: the value waits on the host for the next placement.
    if (h.kind === 'device' && !h.store.lost) await h.store.write(h.slot, t);
    else this.home = { kind: 'host', value: new HostTensor(this.type, t.data.slice()) };
  }

  /** The store holding the value now, if it has been placed. */
  get store(): StateStore | undefined {
    return this.home.kind === 'device' ? this.home.store : undefined;
  }

  /** The slot in `store` when the value lives there now. */
  slotIn(store: StateStore): StateSlot | undefined {
    const h = this.home;
    return h.kind === 'device' && h.store === store && store.owns(h.slot) ? h.slot : undefined;
  }

  /**
   * The variable's slot in `store`, placing it there first when needed: the initial (or last host)
   * value is uploaded, or the value moves from the store that held it (which frees its slot).
   */
  place(store: StateStore, label: string): Promise<StateSlot> {
    const have = this.slotIn(store);
    if (have !== undefined) return Promise.resolve(have);
    const prior = this.placing ?? Promise.resolve(undefined);
    const next = prior.then(async () => {
      const again = this.slotIn(store);
      if (again !== undefined) return again;
      const h = this.home;
      // From a lost device only its last host copy survives (see StateStore.hostCopy).
      const value = h.kind === 'device' ? (h.store.lost ? h.store.hostCopy(h.slot) : await h.store.read(h.slot)) : this.hostValue();
      const slot = store.allocate(this.type, label, value);
      if (h.kind === 'device') {
        released.unregister(this);
        h.store.free(h.slot);
      }
      this.home = { kind: 'device', store, slot };
      released.register(this, { store, slot }, this);
      return slot;
    });
    this.placing = next;
    next.then(
      () => this.placing === next && (this.placing = undefined),
      () => this.placing === next && (this.placing = undefined),
    );
    return next;
  }
}

/** A trainable variable owned by a module (its weights and biases). */
export class Parameter extends Variable {
  constructor(shape: Shape, init: Initializer, opts: Omit<VariableOptions, 'trainable'> & { readonly trainable?: boolean } = {}) {
    super(shape, init, { label: 'param', ...opts, trainable: opts.trainable ?? true });
  }

  override get isParameter(): boolean {
    return true;
  }
}

/** A trainable parameter for a custom module's field: `weight = k.nn.parameter([in, out], k.init.glorotUniform())`. */
export function parameter(shape: Shape, init: Initializer, opts: Omit<VariableOptions, 'trainable'> & { readonly trainable?: boolean } = {}): Parameter {
  return new Parameter(shape, init, opts);
}

/** Non-trainable module state (running statistics, counters): PyTorch's buffers. */
export function buffer(shape: Shape, init: Initializer, opts: Omit<VariableOptions, 'trainable'> = {}): Variable {
  return new Variable(shape, init, { label: 'buffer', ...opts, trainable: false });
}
