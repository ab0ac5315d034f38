// Frontend: k.nn.Module — the base of every model object. Subclasses hold parameters, buffers and
// submodules as fields and define forward(); calling it any number of times, in any trace, uses
// the same variables. Names are field paths (encoder.fc1.weight, blocks.3.attn.q.bias).

import '../tensor-methods.js';
import { KilnError, formatShape, formatType, numel, typesEqual, type DType, type Shape, type TensorType } from '@kiln/ir';
import { HostTensor } from '../host-tensor.js';
import type { TensorSpec } from '../spec.js';
import { Tensor } from '../tensor.js';
import { TraceContext, activeTrace, withTrace, type VariableNamer } from '../trace-context.js';
import { Parameter, Variable } from '../variable.js';

/** One entry of `namedParameters()`. */
export interface NamedParameter {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly trainable: boolean;
  readonly parameter: Parameter;
}

/** A value `loadStateDict` accepts for one name: a host tensor or anything with a type and data. */
export type StateValue = HostTensor | { readonly type: TensorType; readonly data: ArrayLike<number> };

export interface LoadStateDictOptions {
  /** true (default): any missing, unexpected or mismatched name is an error and nothing is loaded. */
  readonly strict?: boolean;
}

/** What `loadStateDict` did. */
export interface LoadReport {
  readonly loaded: readonly string[];
  /** Names the module has that the dict lacks (they keep their values). */
  readonly missing: readonly string[];
  /** Names in the dict the module does not have (ignored). */
  readonly unexpected: readonly string[];
  /** Names in both whose type differs (not loaded). */
  readonly mismatched: readonly { readonly name: string; readonly expected: string; readonly got: string }[];
}

/** What a module's fields may hold that becomes part of it: submodules and variables. */
export type ModuleChild = Module | Variable;

function isPlainRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** Module or Variable values inside a field: the value itself, array items by index, record entries by key. */
function* childrenOf(key: string, value: unknown, depth = 0): Generator<readonly [string, ModuleChild]> {
  if (value instanceof Module || value instanceof Variable) yield [key, value];
  else if (depth < 8 && Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* childrenOf(`${key}.${i}`, value[i], depth + 1);
  else if (depth < 8 && isPlainRecord(value)) for (const [k, v] of Object.entries(value)) yield* childrenOf(`${key}.${k}`, v, depth + 1);
}

/** Records module calls for summary(): one row per forward entered. */
interface SummaryRow {
  readonly module: Module;
  readonly depth: number;
  output: string;
}
let summaryRows: SummaryRow[] | undefined;

function describeOutput(v: unknown): string {
  if (v instanceof Tensor) return formatShape(v.shape);
  if (Array.isArray(v)) return v.map(describeOutput).join(', ');
  if (isPlainRecord(v))
    return Object.values(v)
      .map(describeOutput)
      .filter((s) => s !== '')
      .join(', ');
  return '';
}

export abstract class Module implements VariableNamer {
  private trainingFlag = true;

  constructor() {
    // forward is wrapped per instance so every call enters the module in the active trace: the
    // outermost module names the variables it reaches, and summary() sees each layer's output.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the module as `this`
    const original = this.forward;
    Object.defineProperty(this, 'forward', {
      configurable: true,
      writable: true,
      enumerable: false,
      value: (...args: never[]): unknown => {
        const ctx = activeTrace();
        if (ctx === undefined)
          throw new KilnError({
            message: `${this.constructor.name}.forward must be called inside a function given to k.jit (or k.trace): modules build graphs, they do not compute eagerly`,
          });
        const row: SummaryRow | undefined = summaryRows !== undefined ? { module: this, depth: ctx.moduleStack.length, output: '' } : undefined;
        if (row !== undefined) summaryRows?.push(row);
        const result = ctx.enterModule(this, () => original.apply(this, args));
        if (row !== undefined) row.output = describeOutput(result);
        return result;
      },
    });
  }

  /** The computation: takes and returns symbolic tensors (any arguments a subclass declares). */
  abstract forward(...args: never[]): unknown;

  /** True in training mode (the default): dropout drops, batch norm uses batch statistics. */
  get training(): boolean {
    activeTrace()?.noteStatic(() => this.trainingFlag, this.trainingFlag);
    return this.trainingFlag;
  }

  /** Sets training mode on this module and every submodule (PyTorch's train()). */
  train(mode = true): this {
    for (const m of this.modules()) m.trainingFlag = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Prefix for this module's variable names when another model in the same trace already used a name. */
  get rootLabel(): string {
    const n = this.constructor.name || 'module';
    return n.charAt(0).toLowerCase() + n.slice(1);
  }

  /** Direct children by name: fields holding modules or variables (arrays index them, records key them). */
  protected *namedChildren(): Iterable<readonly [string, ModuleChild]> {
    for (const [key, value] of Object.entries(this)) yield* childrenOf(key, value);
  }

  /** Every variable reachable from this module with its path, each once (first path wins: tied weights keep one name). */
  *namedVariableEntries(): Generator<readonly [string, Variable]> {
    const seen = new Set<ModuleChild>();
    function* walk(m: Module, prefix: string): Generator<readonly [string, Variable]> {
      for (const [key, child] of m.namedChildren()) {
        if (seen.has(child)) continue;
        seen.add(child);
        if (child instanceof Variable) yield [`${prefix}${key}`, child];
        else yield* walk(child, `${prefix}${key}.`);
      }
    }
    yield* walk(this, '');
  }

  /** This module and every submodule with its path ('' for this one), each once. */
  namedModules(): (readonly [string, Module])[] {
    const out: (readonly [string, Module])[] = [['', this]];
    const seen = new Set<Module>([this]);
    const walk = (m: Module, prefix: string): void => {
      for (const [key, child] of m.namedChildren()) {
        if (!(child instanceof Module) || seen.has(child)) continue;
        seen.add(child);
        out.push([`${prefix}${key}`, child]);
        walk(child, `${prefix}${key}.`);
      }
    };
    walk(this, '');
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Trainable-or-frozen parameters (not buffers) with their names, shapes and flags. */
  namedParameters(): NamedParameter[] {
    const out: NamedParameter[] = [];
    for (const [name, v] of this.namedVariableEntries()) if (v instanceof Parameter) out.push({ name, shape: v.shape, dtype: v.dtype, trainable: v.trainable, parameter: v });
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map((p) => p.parameter);
  }

  /** Non-parameter variables (running statistics) with their names. */
  namedBuffers(): (readonly [string, Variable])[] {
    return [...this.namedVariableEntries()].filter(([, v]) => !(v instanceof Parameter));
  }

  /** Stops optimizers from updating every parameter of this module (transfer learning). */
  freeze(): this {
    for (const p of this.parameters()) p.trainable = false;
    return this;
  }

  unfreeze(): this {
    for (const p of this.parameters()) p.trainable = true;
    return this;
  }

  /** Every variable's current value by name, read from the device that holds it. */
  async stateDict(): Promise<Record<string, HostTensor>> {
    const entries = [...this.namedVariableEntries()];
    const values = await Promise.all(entries.map(([, v]) => v.read()));
    return Object.fromEntries(entries.map(([name], i) => [name, values[i]!]));
  }

  /**
   * Loads values by name. Strict (default): missing, unexpected or mismatched names are an error
   * and nothing changes; non-strict: loads the names that match and reports the rest.
   */
  async loadStateDict(dict: Readonly<Record<string, StateValue>>, opts: LoadStateDictOptions = {}): Promise<LoadReport> {
    const mine = new Map(this.namedVariableEntries());
    const missing = [...mine.keys()].filter((n) => !Object.hasOwn(dict, n));
    const unexpected = Object.keys(dict).filter((n) => !mine.has(n));
    const mismatched: { name: string; expected: string; got: string }[] = [];
    const toLoad: [string, Variable, ArrayLike<number>][] = [];
    for (const [name, v] of mine) {
      const value = dict[name];
      if (value === undefined) continue;
      if (!typesEqual(value.type, v.type) || value.data.length !== numel(v.shape)) mismatched.push({ name, expected: formatType(v.type), got: formatType(value.type) });
      else toLoad.push([name, v, value.data]);
    }
    if (opts.strict !== false && (missing.length > 0 || unexpected.length > 0 || mismatched.length > 0)) {
      const parts = [
        missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
        unexpected.length > 0 ? `unexpected: ${unexpected.join(', ')}` : '',
        mismatched.length > 0 ? `shape or dtype differs: ${mismatched.map((m) => `${m.name} (model ${m.expected}, given ${m.got})`).join(', ')}` : '',
      ].filter((p) => p !== '');
      throw new KilnError({ message: `loadStateDict into ${this.constructor.name}: ${parts.join('; ')} (nothing was loaded; pass { strict: false } to load the names that match)` });
    }
    await Promise.all(toLoad.map(([, v, data]) => v.write(data)));
    return { loaded: toLoad.map(([name]) => name), missing, unexpected, mismatched };
  }

  /**
   * A Keras-style table of every layer called by forward on inputs of the given specs: its name,
   * type, output shape and parameter count, then the totals. Traces symbolically; computes nothing.
   */
  summary(...inputs: TensorSpec[]): string {
    const ctx = new TraceContext('summary', false);
    const rows: SummaryRow[] = [];
    const prior = summaryRows;
    summaryRows = rows;
    try {
      withTrace(ctx, () => {
        const args = inputs.map((spec, i) => ctx.input(`input${i}`, spec));
        (this.forward as (...a: Tensor[]) => unknown)(...args);
      });
    } finally {
      summaryRows = prior;
      ctx.close();
    }
    const names = new Map(this.namedModules().map(([n, m]) => [m, n]));
    const count = (m: Module): number => [...m.namedVariableEntries()].reduce((a, [, v]) => a + (v instanceof Parameter ? numel(v.shape) : 0), 0);
    const table = rows.map((r) => [`${'  '.repeat(r.depth)}${names.get(r.module) || '(model)'}`, r.module.constructor.name, r.output, count(r.module).toLocaleString('en-US')]);
    const header = ['Layer', 'Type', 'Output shape', 'Params'];
    const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c]!.length)));
    const line = (cells: readonly string[]): string =>
      cells
        .map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd();
    let trainable = 0;
    let frozen = 0;
    let buffers = 0;
    for (const [, v] of this.namedVariableEntries()) {
      const n = numel(v.shape);
      if (!(v instanceof Parameter)) buffers += n;
      else if (v.trainable) trainable += n;
      else frozen += n;
    }
    const rule = '─'.repeat(widths.reduce((a, w) => a + w, 0) + 6);
    const fmt = (n: number): string => n.toLocaleString('en-US');
    return [
      `${this.constructor.name} on ${inputs.map((s) => formatType(s)).join(', ')}`,
      rule,
      line(header),
      rule,
      ...table.map(line),
      rule,
      `Total params: ${fmt(trainable + frozen)} (trainable ${fmt(trainable)}, frozen ${fmt(frozen)}); non-trainable state: ${fmt(buffers)}`,
    ].join('\n');
  }
}
