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
import type { Variable } from './variable.js';

/** A state input of a traced graph: a parameter (trainable) or other persistent state (optimizer slots, RNG keys). */
export interface ParamSpec {
  readonly name: string;
  readonly type: TensorType;
  readonly init: Initializer;
  /** Trainable parameters are what `optim` differentiates; slots and RNG keys are not. */
  readonly trainable: boolean;
  /** Where user code created it. */
  readonly loc?: SourceLoc;
  /** The persistent variable bound as this state input (module parameters, optimizer slots); absent for state created by name. */
  readonly variable?: Variable;
}

/** An integer input whose values must index something of `bound` entries (class labels, gather indices). */
export interface IndexCheck {
  readonly input: string;
  readonly bound: number;
  readonly op: string;
  readonly what: string;
  readonly loc?: SourceLoc;
}

/** A value read while tracing that the traced graph depends on (a module's training flag, a parameter's trainable flag). */
export interface StaticRead {
  readonly read: () => unknown;
  readonly value: unknown;
}

/** What a module offers a trace when its forward is entered from outside any module: names for its variables. */
export interface VariableNamer {
  /** Variables reachable from the module with their field paths (fc1.weight, blocks.3.attn.q.bias). */
  namedVariableEntries(): Iterable<readonly [string, Variable]>;
  /** Prefix used when another root already took a path (e.g. discriminator.fc1.weight). */
  readonly rootLabel: string;
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

/** The state of one trace in progress: its graph builder, state inputs, scopes and the checks it records (advanced: layers and transforms build on it). */
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
  private isClosed = false;
  /** Bound variables and their state input tensors. */
  private readonly variables = new Map<Variable, Tensor>();
  /** Names given to variables by the root modules entered so far (bound or not yet). */
  private readonly variableNames = new Map<Variable, string>();
  private readonly reservedNames = new Set<string>();
  private readonly anonymousLayers = new Map<string, string>();
  /** Modules whose forward is running, outermost first. */
  readonly moduleStack: VariableNamer[] = [];
  readonly statics: StaticRead[] = [];
  readonly indexChecks: IndexCheck[] = [];

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
    if (t.trace !== this) {
      if (t.trace.closed)
        throw this.error(
          op,
          `${String(t)} was made while tracing an earlier call and cannot be used here: a k.jit function is traced again for each new input shape, so keep tensors only within one call (persistent values belong in a k.nn.Module or a k.Variable)`,
        );
      throw this.error(op, `${String(t)} belongs to another trace (@${t.trace.name}) that is still running: pass values between traces as inputs and outputs`);
    }
    if (activeTrace() !== this) throw this.error(op, `${String(t)} belongs to trace @${this.name}, which is not the innermost active trace`);
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
    if (prior !== undefined) throw this.error('param', `duplicate parameter name %${full}${prior.loc !== undefined ? ` (first created at ${formatSourceLoc(prior.loc)})` : ''}`);
    if (this.inputNames.has(full)) throw this.error('param', `parameter name %${full} clashes with an input of the same name`);
    if (this.reservedNames.has(full)) throw this.error('param', `parameter name %${full} is already used by a module's variable in this trace`);
    this.reservedNames.add(full);
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
    this.isClosed = true;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** The state input of `v` in this trace, created on first use under the name its root module gave it. */
  bindVariable(v: Variable): Tensor {
    const bound = this.variables.get(v);
    if (bound !== undefined) return bound;
    this.checkOpen('variable');
    const named = this.variableNames.get(v);
    const inside = this.moduleStack[this.moduleStack.length - 1];
    if (named === undefined && v.isParameter && inside !== undefined)
      throw this.error(
        'parameter',
        `${String(v)} is used inside ${inside.constructor.name}.forward but is not reachable from the module's fields (is it in a #private field, a closure or a Map?): it would be trained but never listed by namedParameters() or saved in checkpoints. Keep parameters and submodules in public fields, arrays or plain objects`,
      );
    const name = named ?? this.reserve(v.label);
    const loc = this.loc();
    const id = this.builder.input(name, v.type, { state: true });
    const trainable = v.trainable;
    this.params.push({ name, type: { dtype: v.type.dtype, shape: [...v.type.shape] }, init: v.init, trainable, variable: v, ...(loc !== undefined ? { loc } : {}) });
    const t = this.wrap(id);
    this.states.set(name, t);
    this.stateIds.add(id);
    this.inputIds.set(id, name);
    this.variables.set(v, t);
    return t;
  }

  /** The variable bound as state input `t`, if it is one. */
  variableOf(t: Tensor): Variable | undefined {
    const name = this.stateNameOf(t);
    return name === undefined ? undefined : this.params.find((p) => p.name === name)?.variable;
  }

  /** Runs a module's forward; the outermost module entered names every variable it reaches. */
  enterModule<T>(module: VariableNamer, fn: () => T): T {
    this.checkOpen('module');
    // The outermost module names every variable it reaches; a module entered deeper but not
    // reached that way (held outside its caller's fields) names what is still unnamed.
    for (const [path, v] of module.namedVariableEntries()) {
      if (this.variableNames.has(v) || this.variables.has(v)) continue;
      this.variableNames.set(v, this.moduleStack.length === 0 ? this.reserve(path, module.rootLabel) : this.reserve(`${module.rootLabel}.${path}`));
    }
    this.moduleStack.push(module);
    try {
      return fn();
    } finally {
      this.moduleStack.pop();
    }
  }

  /** Records a value the graph depends on, so a cached compile is reused only while it holds. */
  noteStatic(read: () => unknown, value: unknown): void {
    if (!this.isClosed) this.statics.push({ read, value });
  }

  /**
   * Records that the integer tensor `t` indexes `bound` entries; when `t` is a graph input, its
   * values are checked on the host before each run (jit checks: 'default').
   */
  requireIndexRange(t: Tensor, bound: number, op: string, what: string): void {
    if (t.trace !== this) return;
    const input = this.inputIds.get(t.id);
    if (input === undefined || this.stateIds.has(t.id)) return;
    const loc = this.loc();
    this.indexChecks.push({ input, bound, op, what, ...(loc !== undefined ? { loc } : {}) });
  }

  /**
   * A functional layer without a name, about to create parameters: a second one from the same
   * user line in one trace would silently get a second set of weights, so that is an error.
   */
  noteAnonymousLayer(kind: string, fnName: string): void {
    const loc = this.loc();
    if (loc === undefined) return;
    const key = `${kind}@${formatSourceLoc(loc)}`;
    if (this.anonymousLayers.has(key))
      throw this.error(
        fnName,
        `called again from the same line in one trace, which would create a second, separate set of weights. To apply one layer several times with shared weights, create it once as a module (e.g. new k.nn.Linear(...)) and call its forward; to create distinct layers in a loop, give each its own { name }`,
      );
    this.anonymousLayers.set(key, kind);
  }

  /** A state name not used yet in this trace: `base`, else `<rootLabel>.<base>`, else with a _k suffix. */
  private reserve(base: string, rootLabel?: string): string {
    const taken = (n: string): boolean => this.reservedNames.has(n) || this.states.has(n) || this.inputNames.has(n);
    let name = base;
    // A Sequential's own paths start with an index (0.weight), not a valid IR name: prefix the root.
    if ((taken(name) || !isValidName(name)) && rootLabel !== undefined) name = `${rootLabel}.${base}`;
    for (let k = 1; taken(name); k++) name = `${rootLabel !== undefined ? `${rootLabel}.` : ''}${base}_${k}`;
    if (!isValidName(name)) throw this.error('variable', `"${name}" is not a valid state name ([A-Za-z_][A-Za-z0-9_.]*)`);
    this.reservedNames.add(name);
    return name;
  }

  private checkOpen(op: string): void {
    if (this.isClosed)
      throw new KilnError({ op, message: `trace @${this.name} has finished; its tensors cannot build new ops (a tensor made while tracing one call was used after it)` });
  }
}
