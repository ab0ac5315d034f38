// Optimizers: `opt.minimize(loss)` inside a trace differentiates the loss symbolically with respect
// to the trainable parameters and returns the state updates { [stateName]: newValue } — new
// parameters, new slots (`<name>.<slot>.<param>`) and the step counter `<name>.step` — all in the
// same graph, so one compiled step does forward, backward and update.

import { KilnError, formatType, numel, type TensorType } from '@kiln/ir';
import type { TensorLike } from '../broadcast.js';
import { add, cast, mul } from '../elementwise.js';
import { constant as constantInit, type Initializer } from '../init.js';
import { stateName, trainableParams } from '../params.js';
import { Tensor } from '../tensor.js';
import { currentTrace, type TraceContext } from '../trace-context.js';
import { Variable } from '../variable.js';
import { gradients } from '../transforms.js';
import { clipByGlobalNorm } from './clip.js';
import { rules, type OptimizerKind, type OptionsByKind, type Rule, type RuleArgs, type Slot } from './rules.js';
import { asSchedule, scheduleTensor, type Schedule } from './schedules.js';

export interface MinimizeOptions {
  /** Which parameters to update: state tensors, or a filter on their names (default: every trainable parameter). */
  readonly params?: readonly Tensor[] | ((name: string) => boolean);
  /** This step's learning rate, overriding the optimizer's: an f32 scalar tensor such as a runtime input, or a number. */
  readonly lr?: TensorLike;
}

/** Everything one update step built, for callers that want more than the updates record. */
export interface UpdateInfo {
  /** New values by state name: parameters, slots and the step counter. Return it as `updates`. */
  readonly updates: Record<string, Tensor>;
  /** The updated parameters, in order, and their (clipped) gradients. */
  readonly params: readonly Tensor[];
  readonly grads: readonly Tensor[];
  /** The learning rate used by this step (a number, or an f32 scalar when scheduled). */
  readonly lr: TensorLike;
  /** Global gradient norm before clipping (only when clipNorm is set). */
  readonly gradNorm?: Tensor;
}

/**
 * An optimizer. Made outside a jitted function and used inside it, it keeps one set of slots per
 * module parameter (persistent Variables) across every specialization and every function; for
 * state created by name (functional layers, k.trace) its slots are named state of that trace.
 */
export class Optimizer<K extends OptimizerKind = OptimizerKind> {
  readonly name: string;
  readonly schedule: Schedule;
  private readonly lrTensor: Tensor | undefined;
  /** Slots of module parameters, by parameter then slot kind. */
  private readonly slots = new Map<Variable, Map<string, Variable>>();
  private stepVariable: Variable | undefined;
  constructor(
    readonly kind: K,
    readonly options: OptionsByKind[K] = {},
  ) {
    const rule: Rule<K> = rules[kind];
    this.name = options.name ?? kind;
    const lr = options.lr ?? rule.lr;
    this.lrTensor = lr instanceof Tensor ? lr : undefined;
    this.schedule = asSchedule(lr instanceof Tensor ? rule.lr : lr);
    if (options.clipNorm !== undefined && !(options.clipNorm > 0)) throw new KilnError({ message: `${kind}: clipNorm must be > 0, got ${options.clipNorm}` });
  }

  /** The updates record for one step minimizing the scalar `loss` (return it as `updates`). */
  minimize(loss: Tensor, opts: MinimizeOptions = {}): Record<string, Tensor> {
    return this.update(loss, opts).updates;
  }

  /** Like minimize, but also returns the gradients, learning rate and gradient norm. */
  update(loss: Tensor, opts: MinimizeOptions = {}): UpdateInfo {
    const ctx = loss.trace;
    if (loss.dtype !== 'f32' || numel(loss.shape) !== 1)
      throw ctx.error(
        `${this.name}.minimize`,
        loss.dtype !== 'f32'
          ? `minimize(loss) needs an f32 loss, got ${formatType(loss.type)}`
          : `minimize(loss) needs a scalar loss, but the loss is ${formatType(loss.type)} (one value per example?): reduce it first, e.g. loss.mean() or the loss function's { reduction: 'mean' }`,
        [loss],
      );
    const params = this.selectParams(ctx, opts);
    return ctx.atCaller(() => this.applyGradients(pair(params, gradients(loss, params)), opts.lr));
  }

  /** Updates applied so far by this optimizer to module parameters (Keras's `optimizer.iterations`). */
  async iterations(): Promise<number> {
    return (await this.stateFor(undefined, 'step').read()).item();
  }

  /** Every persistent slot this optimizer holds for module parameters, with the parameter it belongs to ('step' has none). */
  slotVariables(): { readonly param: Variable | undefined; readonly kind: string; readonly variable: Variable }[] {
    const out: { param: Variable | undefined; kind: string; variable: Variable }[] = [];
    if (this.stepVariable !== undefined) out.push({ param: undefined, kind: 'step', variable: this.stepVariable });
    for (const [param, byKind] of this.slots) for (const [kind, variable] of byKind) out.push({ param, kind, variable });
    return out;
  }

  /**
   * The persistent slot `kind` of a module parameter, made now if no step has made it yet (so a
   * checkpoint can restore optimizer state before the first step). `kind` 'step' is the counter.
   */
  stateFor(param: Variable | undefined, kind: string, paramName = 'param'): Variable {
    if (kind === 'step') return (this.stepVariable ??= new Variable([], { kind: 'zeros' }, { dtype: 'i32', trainable: false, label: `${this.name}.step` }));
    if (param === undefined) throw new KilnError({ message: `${this.name}: slot '${kind}' needs its parameter` });
    return this.slotVariableOf(param, kind, `${this.name}.${kind}.${paramName}`, param.type, { kind: 'zeros' });
  }

  /** Updates built from explicit (parameter, gradient) pairs; `lrOverride` replaces the learning rate for this step. */
  applyGradients(pairs: readonly (readonly [Tensor, Tensor])[], lrOverride?: TensorLike): UpdateInfo {
    const first = pairs[0];
    const ctx = first !== undefined ? first[0].trace : currentTrace(`${this.name}.applyGradients`);
    if (first === undefined) throw ctx.error(`${this.name}.applyGradients`, 'no parameters to update');
    const rule: Rule<K> = rules[this.kind];
    const params = pairs.map(([p]) => p);
    let grads = pairs.map(([p, g]) => {
      ctx.checkOwn(this.name, g);
      if (g.dtype !== p.dtype || g.shape.join() !== p.shape.join())
        throw ctx.error(this.name, `gradient ${formatType(g.type)} does not match parameter %${stateName(p)} ${formatType(p.type)}`, [p, g]);
      return g;
    });
    let gradNorm: Tensor | undefined;
    if (this.options.clipNorm !== undefined) ({ grads, norm: gradNorm } = clipByGlobalNorm(grads, this.options.clipNorm));
    const weightDecay = this.options.weightDecay ?? rule.defaultWeightDecay;
    if (weightDecay !== 0 && !rule.decoupledDecay) grads = grads.map((g, i) => add(g, mul(params[i]!, weightDecay)));

    const updates: Record<string, Tensor> = {};
    const persistent = params.some((p) => ctx.variableOf(p) !== undefined);
    const stepState = this.counter(ctx, persistent);
    updates[stateName(stepState)] = add(stepState, 1);
    const lr = this.learningRate(ctx, stepState, lrOverride);
    const t = cast(add(stepState, 1), 'f32');

    params.forEach((p, i) => {
      const pname = stateName(p);
      const owner = ctx.variableOf(p);
      const slot = (kind: string, fill = 0): Slot => {
        const init: Initializer = fill === 0 ? { kind: 'zeros' } : constantInit(fill);
        const name = `${this.name}.${kind}.${pname}`;
        const value =
          owner !== undefined
            ? this.slotVariable(owner, kind, name, p.type, init)
            : (ctx.stateNamed(name) ?? ctx.createState(name, p.type, init, { trainable: false, exactName: true }));
        return { value, set: (v) => (updates[stateName(value)] = v) };
      };
      const args: RuleArgs<K> = { param: p, grad: grads[i]!, lr, t, opts: this.options, weightDecay, slot };
      updates[pname] = rule.update(args);
    });
    return { updates, params, grads, lr, ...(gradNorm !== undefined ? { gradNorm } : {}) };
  }

  private selectParams(ctx: TraceContext, opts: MinimizeOptions): Tensor[] {
    const sel = opts.params;
    const all = trainableParams();
    const params = sel === undefined ? all : typeof sel === 'function' ? all.filter((p) => sel(stateName(p))) : [...sel];
    if (params.length === 0) throw ctx.error(`${this.name}.minimize`, 'there are no trainable parameters to update');
    for (const p of params) {
      const name = ctx.stateNameOf(p);
      const spec = ctx.params.find((s) => s.name === name);
      if (spec === undefined) throw ctx.error(`${this.name}.minimize`, `${String(p)} is not a parameter of this trace`, [p]);
    }
    return params;
  }

  private learningRate(ctx: TraceContext, stepState: Tensor, override: TensorLike | undefined): TensorLike {
    const lr = override ?? this.lrTensor;
    if (lr instanceof Tensor) {
      ctx.checkOwn(`${this.name}.minimize`, lr);
      if (lr.dtype !== 'f32' || lr.size !== 1) throw ctx.error(`${this.name}.minimize`, `the learning rate must be an f32 scalar, got ${formatType(lr.type)}`, [lr]);
      return lr.rank === 0 ? lr : lr.reshape([]);
    }
    if (lr !== undefined) return lr;
    return this.schedule.kind === 'constant' ? this.schedule.value : scheduleTensor(this.schedule, cast(stepState, 'f32'));
  }

  /** The slot `kind` of a module parameter: one persistent variable, whatever trace uses it. */
  private slotVariable(owner: Variable, kind: string, label: string, type: TensorType, init: Initializer): Tensor {
    const v = this.slotVariableOf(owner, kind, label, type, init);
    return currentTrace(`${this.name}.minimize`).bindVariable(v);
  }

  private slotVariableOf(owner: Variable, kind: string, label: string, type: TensorType, init: Initializer): Variable {
    let byKind = this.slots.get(owner);
    if (byKind === undefined) {
      byKind = new Map();
      this.slots.set(owner, byKind);
    }
    let v = byKind.get(kind);
    if (v === undefined) {
      v = new Variable(type.shape, init, { dtype: type.dtype, trainable: false, label });
      byKind.set(kind, v);
    }
    return v;
  }

  /**
   * The i32 step counter (updates applied so far): a persistent variable when the parameters are
   * module variables, else the named state `<name>.step` of this trace.
   */
  private counter(ctx: TraceContext, persistent: boolean): Tensor {
    const name = `${this.name}.step`;
    if (persistent) return ctx.bindVariable(this.stateFor(undefined, 'step'));
    if (ctx.stateNamed(name) !== undefined) throw ctx.error(this.name, `optimizer state %${name} already exists in this trace: give each optimizer its own { name }`);
    return ctx.createState(name, { dtype: 'i32', shape: [] }, { kind: 'zeros' }, { trainable: false, exactName: true });
  }
}

function pair(params: readonly Tensor[], grads: readonly Tensor[]): (readonly [Tensor, Tensor])[] {
  return params.map((p, i) => [p, grads[i]!] as const);
}
