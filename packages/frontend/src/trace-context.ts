// Frontend: the state of one `trace` in progress — its GraphBuilder, parameters and scopes, state
// updates, value names — and the module-level stack of active traces that k.* functions consult.

import {
  GraphBuilder,
  KilnError,
  formatSourceLoc,
  formatType,
  isValidName,
  mix32,
  typesEqual,
  type AttrsOf,
  type OpKind,
  type SourceLoc,
  type TensorType,
  type ValueId,
} from '@kiln/ir';
import { randomKeyInit, type Initializer } from './init.js';
import { callerLoc } from './source-loc.js';
import { Tensor } from './tensor.js';

/** A state input of a traced graph: a parameter (trainable) or other persistent state (optimizer slots, RNG keys). */
export interface ParamSpec {
  readonly name: string;
  readonly type: TensorType;
  readonly init: Initializer;
  /** Trainable parameters are what `optim` differentiates; slots and RNG keys are not. */
  readonly trainable: boolean;
  /** Where user code created it. */
  readonly loc?: SourceLoc;
}

export interface StateOptions {
  readonly trainable?: boolean;
  /** Use `name` as the full name instead of prefixing the enclosing scopes. */
  readonly exactName?: boolean;
}

const stack: TraceContext[] = [];

/** The innermost active trace; `what` names the caller in the error raised outside any trace. */
export function currentTrace(what: string): TraceContext {
  const ctx = stack[stack.length - 1];
  if (ctx === undefined) throw new KilnError({ message: `${what} must be called inside k.trace(...)` });
  return ctx;
}

export function activeTrace(): TraceContext | undefined {
  return stack[stack.length - 1];
}

/** Runs `fn` with `ctx` as the innermost active trace. */
export function withTrace<T>(ctx: TraceContext, fn: () => T): T {
  stack.push(ctx);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

export class TraceContext {
  readonly builder: GraphBuilder;
  readonly params: ParamSpec[] = [];
  /** New values of state inputs, by state name (from k.assign, randomKey, or the `updates` output). */
  readonly updates = new Map<string, Tensor>();
  /** Readable names for node values, applied when the graph is built. */
  readonly valueNames = new Map<ValueId, string>();
  private readonly states = new Map<string, Tensor>();
  private readonly stateIds = new Set<ValueId>();
  private readonly inputIds = new Map<ValueId, string>();
  private readonly inputNames = new Set<string>();
  private readonly scopes: string[] = [];
  private readonly scopeCounters = new Map<string, number>();
  private readonly keyRequests = new Map<string, number>();
  private pinnedLoc: SourceLoc | undefined;
  private closed = false;

  constructor(
    readonly name: string,
    readonly captureLocations = true,
  ) {
    this.builder = new GraphBuilder(name);
  }

  wrap(id: ValueId): Tensor {
    return new Tensor(this, id, this.builder.typeOf(id));
  }

  /** Source location for the node about to be emitted. */
  loc(): SourceLoc | undefined {
    if (!this.captureLocations) return undefined;
    return this.pinnedLoc ?? callerLoc();
  }

  /**
   * Runs a composite's body with the location of its caller pinned, so every node it emits names
   * the user's line (and the stack is walked once). Never wrap user callbacks in this.
   */
  atCaller<T>(fn: () => T): T {
    if (this.pinnedLoc !== undefined || !this.captureLocations) return fn();
    this.pinnedLoc = callerLoc();
    try {
      return fn();
    } finally {
      this.pinnedLoc = undefined;
    }
  }

  /** A KilnError for a frontend-level check, naming the op, operand types and the user's line. */
  error(op: string, message: string, operands: readonly Tensor[] = []): KilnError {
    const loc = this.loc();
    const args = operands.length > 0 ? ` [operands: ${operands.map((t) => formatType(t.type)).join(', ')}]` : '';
    return new KilnError({ op, message: `${message}${args}`, ...(loc !== undefined ? { source: loc } : {}) });
  }

  /** Appends one IR node; shape errors from the registry come back as KilnErrors naming the user's line. */
  emit<K extends OpKind>(op: K, operands: readonly Tensor[], attrs: AttrsOf<K>, type?: TensorType): Tensor {
    this.checkOpen(op);
    for (const t of operands) this.checkOwn(op, t);
    const loc = this.loc();
    const id = this.builder.add(
      op,
      operands.map((t) => t.id),
      attrs,
      { ...(type !== undefined ? { type } : {}), ...(loc !== undefined ? { loc } : {}) },
    );
    return this.wrap(id);
  }

  /** A constant of `type` filled with `value` (or holding `values` row-major). */
  constant(value: number | readonly number[], type: TensorType): Tensor {
    return this.emit('constant', [], { value }, type);
  }

  checkOwn(op: string, t: Tensor): void {
    this.checkOpen(op);
    if (t.trace !== this) throw this.error(op, `${t} belongs to trace @${t.trace.name}, not @${this.name}`);
    if (activeTrace() !== this)
      throw this.error(op, `${t} belongs to trace @${this.name}, which is not the innermost active trace`);
  }

  input(name: string, type: TensorType): Tensor {
    if (!isValidName(name)) throw new KilnError({ message: `input name "${name}" is not a valid IR name ([A-Za-z_][A-Za-z0-9_.]*)` });
    this.inputNames.add(name);
    const id = this.builder.input(name, type);
    this.inputIds.set(id, name);
    return this.wrap(id);
  }

  /** Creates a state input named `<scopes>.<name>`; names are unique within a trace. */
  createState(name: string, type: TensorType, init: Initializer, opts: StateOptions = {}): Tensor {
    this.checkOpen('param');
    const full = opts.exactName === true || this.scopes.length === 0 ? name : `${this.scopes.join('.')}.${name}`;
    if (!isValidName(full)) throw this.error('param', `"${full}" is not a valid parameter name ([A-Za-z_][A-Za-z0-9_.]*)`);
    const prior = this.params.find((p) => p.name === full);
    if (prior !== undefined)
      throw this.error('param', `duplicate parameter name %${full}${prior.loc !== undefined ? ` (first created at ${formatSourceLoc(prior.loc)})` : ''}`);
    if (this.inputNames.has(full)) throw this.error('param', `parameter name %${full} clashes with an input of the same name`);
    const loc = this.loc();
    const id = this.builder.input(full, type, { state: true });
    this.params.push({ name: full, type: { dtype: type.dtype, shape: [...type.shape] }, init, trainable: opts.trainable ?? true, ...(loc !== undefined ? { loc } : {}) });
    const t = this.wrap(id);
    this.states.set(full, t);
    this.stateIds.add(id);
    this.inputIds.set(id, full);
    return t;
  }

  /** Runs `fn` inside a name scope `base<k>` (k counts uses of `base` at this level), or exactly `base`. */
  scoped<T>(base: string, fn: () => T, exact = false): T {
    let name = base;
    if (!exact) {
      const key = `${this.scopes.join('.')}/${base}`;
      const k = this.scopeCounters.get(key) ?? 0;
      this.scopeCounters.set(key, k + 1);
      name = `${base}${k}`;
    }
    if (!isValidName(name)) throw this.error('scope', `"${name}" is not a valid scope name`);
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  stateNamed(name: string): Tensor | undefined {
    return this.states.get(name);
  }

  /** Name of the state input `t` is, or undefined when it is not a state input. */
  stateNameOf(t: Tensor): string | undefined {
    return t.trace === this && this.stateIds.has(t.id) ? this.inputIds.get(t.id) : undefined;
  }

  /** Records `value` as the new value of the state input `target` after the step. */
  assign(target: Tensor | string, value: Tensor): void {
    this.checkOwn('assign', value);
    const name = typeof target === 'string' ? target : this.stateNameOf(target);
    if (name === undefined || !this.states.has(name))
      throw this.error('assign', `the target ${typeof target === 'string' ? `%${target}` : String(target)} is not a state input of @${this.name}`);
    const state = this.states.get(name)!;
    if (!typesEqual(state.type, value.type))
      throw this.error('assign', `new value of %${name} has type ${formatType(value.type)}, the state is ${formatType(state.type)}`, [state, value]);
    if (this.updates.has(name)) throw this.error('assign', `state %${name} is assigned twice in one step`);
    this.updates.set(name, value);
  }

  /**
   * A fresh u32[2] random key per call: the state `stateName` (created on first use, seeded by the
   * initializer) plus a per-call offset; the state's counter word advances by one every step.
   */
  randomKey(stateName = 'rng'): Tensor {
    let key = this.states.get(stateName);
    const keyType: TensorType = { dtype: 'u32', shape: [2] };
    if (key === undefined) {
      key = this.createState(stateName, keyType, randomKeyInit(), { trainable: false, exactName: true });
      this.assign(key, this.emit('add', [key, this.constant([0, 1], keyType)], {}));
    }
    const k = this.keyRequests.get(stateName) ?? 0;
    this.keyRequests.set(stateName, k + 1);
    return this.emit('add', [key, this.constant([mix32(k + 1), 0], keyType)], {});
  }

  /** Names a node value for the printed IR (inputs keep their own names). */
  nameValue(t: Tensor, name: string): void {
    if (!isValidName(name)) throw this.error('named', `"${name}" is not a valid IR name`);
    if (t.trace === this && !this.inputIds.has(t.id)) this.valueNames.set(t.id, name);
  }

  /** `%name` for inputs and named values, `#id` otherwise (for messages). */
  label(id: ValueId): string {
    const name = this.inputIds.get(id) ?? this.valueNames.get(id);
    return name !== undefined ? `%${name}` : `#${id}`;
  }

  close(): void {
    this.closed = true;
  }

  private checkOpen(op: string): void {
    if (this.closed) throw new KilnError({ op, message: `trace @${this.name} has finished; its tensors cannot build new ops` });
  }
}
