// Locating where NaN/±Inf first appears (the engine behind `checks: 'nan'`): re-runs a graph on
// the CPU interpreter node by node, descending into fused kernels, and names the originating op.

import { KilnError, formatNumber, opDefErased, print, typesEqual, valueNames, type Graph, type GraphInput, type Node, type ValueId } from '@kiln/ir';
import { toHostTensor, type HostArray, type HostTensor, type Precision } from '@kiln/ir';
import { elementAt, evaluateNode, kernelMap } from '@kiln/ir';

export type NonFiniteKind = 'NaN' | 'Inf';

interface SiteBase {
  /** What was produced; NaN wins when the tensor holds both. */
  readonly kind: NonFiniteKind;
  /** Flat (row-major) index of the first element of that kind. */
  readonly index: number;
  /**
   * Whether this origin's non-finite values flow (through non-finite intermediates) into a graph
   * output. False means they were masked on the way, e.g. by `select` or an `exp` of -inf.
   */
  readonly reachesOutput: boolean;
}

/** A graph input that already holds NaN/Inf (from the caller, or a state slot poisoned by an earlier step). */
export interface NonFiniteInput extends SiteBase {
  readonly origin: 'input';
  readonly input: GraphInput;
}

/** A node whose result holds NaN/Inf although every float operand was finite. */
export interface NonFiniteNode extends SiteBase {
  readonly origin: 'node';
  /** The primitive op; inside a fused kernel this is a node of the kernel body. */
  readonly node: Node;
  /** The graph whose nodes contain `node`: the top-level graph or a kernel. */
  readonly scope: Graph;
  /** The enclosing `call` nodes, outermost first; empty at top level. */
  readonly calls: readonly Node[];
  /**
   * One entry per operand (all finite by definition). `sample` is the operand's element at
   * `index` for elementwise ops, where operand and result elements correspond one to one.
   */
  readonly operands: readonly { readonly sample?: number }[];
}

export type NonFiniteSite = NonFiniteInput | NonFiniteNode;

/**
 * Evaluates `graph` on the CPU interpreter node by node (inputs in `graph.inputs` order, state
 * included) and returns where NaN/Inf originated, or undefined when every f32 value is finite.
 * An origin is a graph input holding NaN/Inf, or a node (a primitive, also inside fused kernels)
 * whose f32 result holds NaN/Inf while all its operands are finite; a node with a non-finite
 * operand only propagates. Of all origins, the first in graph order whose values reach an output
 * is returned; if none does (all masked), the first one, with `reachesOutput: false`.
 * Reachability is tracked per tensor, not per element.
 */
export function locateNonFinite(graph: Graph, inputs: readonly HostTensor[], precision: Precision = 'f32'): NonFiniteSite | undefined {
  if (inputs.length !== graph.inputs.length) throw new KilnError({ message: `@${graph.name} takes ${graph.inputs.length} input(s), got ${inputs.length}` });
  const origins: Origin[] = [];
  const values = graph.inputs.map((inp, i) => toHostTensor(inputs[i]!, inp.type, precision, `input %${inp.name}`));
  const taints = graph.inputs.map((inp, i) => {
    const bad = firstNonFinite(values[i]!);
    if (bad === undefined) return undefined;
    origins.push({ ...bad, origin: 'input', input: inp });
    return origins.length - 1;
  });
  const walker: Walker = { kernels: kernelMap(graph), precision, origins };
  const out = walk(walker, graph, values, taints, []);
  if (origins.length === 0) return undefined;
  // The earliest origin whose taint reaches an output; when none does, the earliest origin of all.
  let reached: number | undefined;
  for (const t of out.taints) if (t !== undefined && (reached === undefined || t < reached)) reached = t;
  return { ...elementAt(origins, reached ?? 0, 'non-finite origins (non-empty here)'), reachesOutput: reached !== undefined };
}

/** True when any f32 element of the tensors is NaN or ±Inf. */
export function hasNonFinite(tensors: Iterable<HostTensor>): boolean {
  for (const t of tensors) if (t.type.dtype === 'f32' && firstBad(t.data) >= 0) return true;
  return false;
}

/**
 * A KilnError naming the site: op, what it produced and where, the user source line (node.loc)
 * and the node's IR line. `what` names the computation being checked ("step", "@train").
 */
export function nonFiniteError(site: NonFiniteSite, graph: Graph, what: string): KilnError {
  const masked = site.reachesOutput ? '' : '; masked before reaching any output';
  switch (site.origin) {
    case 'input': {
      const inp = site.input;
      return new KilnError({
        message: `${what}: input %${inp.name} holds ${site.kind} at element ${site.index}${masked}`,
        value: `%${inp.name}`,
        ...(inp.pos !== undefined ? { pos: inp.pos } : {}),
      });
    }
    case 'node': {
      const { node, scope } = site;
      const names = valueNames(scope);
      const name = `%${names.get(node.id) ?? `#${node.id}`}`;
      const samples = site.operands.flatMap((o, i) => (o.sample === undefined ? [] : [`%${names.get(node.operands[i]!) ?? '?'}[${site.index}] = ${formatSample(o.sample)}`]));
      const from = samples.length > 0 ? `finite operands (${samples.join(', ')})` : node.operands.length > 0 ? 'finite operands' : 'no operands';
      return new KilnError({
        op: node.op,
        message: `produced ${site.kind} at element ${site.index} from ${from} in ${what}${callChain(site, graph)}${masked}: \`${irLine(scope, node)}\``,
        value: name,
        ...(node.pos !== undefined ? { pos: node.pos } : {}),
        ...(node.loc !== undefined ? { source: node.loc } : {}),
      });
    }
    default: {
      const never: never = site;
      return never;
    }
  }
}

// An origin before the final reachability verdict is known.
type Origin = Omit<NonFiniteInput, 'reachesOutput'> | Omit<NonFiniteNode, 'reachesOutput'>;

interface Walker {
  readonly kernels: ReadonlyMap<string, Graph>;
  readonly precision: Precision;
  /** Every origin found so far, in graph order; taints index into it. */
  readonly origins: Origin[];
}

/**
 * Runs one graph (top level or kernel body) like runGraph, tracking for every non-finite f32
 * value the earliest origin it derives from (its "taint"). Finite values carry no taint, so a
 * mask that turns NaN into finite values stops the trail there.
 */
function walk(
  w: Walker,
  graph: Graph,
  inputs: readonly HostTensor[],
  inputTaints: readonly (number | undefined)[],
  calls: readonly Node[],
): { outs: HostTensor[]; taints: (number | undefined)[] } {
  if (inputs.length !== graph.inputs.length) throw new KilnError({ message: `@${graph.name} takes ${graph.inputs.length} input(s), got ${inputs.length}` });
  const env = new Map<ValueId, HostTensor>();
  const taint = new Map<ValueId, number>();
  graph.inputs.forEach((inp, i) => {
    env.set(inp.id, inputs[i]!);
    const t = inputTaints[i];
    if (t !== undefined) taint.set(inp.id, t);
  });
  // Free intermediates after their last use, as runGraph does: training graphs are large.
  const lastUse = new Map<ValueId, number>();
  graph.nodes.forEach((n, i) => {
    for (const o of n.operands) lastUse.set(o, i);
  });
  for (const o of graph.outputs) lastUse.set(o.value, Infinity);
  graph.nodes.forEach((node, i) => {
    const operands = node.operands.map((v) => {
      const t = env.get(v);
      if (t === undefined) throw new KilnError({ op: node.op, message: `operand value ${v} is not defined before use` });
      return t;
    });
    let result: HostTensor;
    let resultTaint: number | undefined;
    if (node.op === 'call') {
      // Descend so that the origin is the kernel's primitive (with its own loc), not the call.
      const r = walkCall(
        w,
        node,
        operands,
        node.operands.map((v) => taint.get(v)),
        [...calls, node],
      );
      result = r.result;
      resultTaint = r.taint;
    } else {
      result = evaluateNode(node, operands, w.kernels, w.precision);
      const bad = firstNonFinite(result);
      if (bad !== undefined) {
        // With a non-finite operand the node only propagates: it inherits the earliest origin.
        for (const v of node.operands) {
          const t = taint.get(v);
          if (t !== undefined && (resultTaint === undefined || t < resultTaint)) resultTaint = t;
        }
        resultTaint ??= originAt(w, node, graph, calls, operands, bad);
      }
    }
    env.set(node.id, result);
    if (resultTaint !== undefined) taint.set(node.id, resultTaint);
    for (const o of node.operands) if (lastUse.get(o) === i) env.delete(o);
  });
  const outs = graph.outputs.map((o) => {
    const t = env.get(o.value);
    if (t === undefined) throw new KilnError({ message: `output ${o.name} refers to an undefined value` });
    return t;
  });
  return { outs, taints: graph.outputs.map((o) => taint.get(o.value)) };
}

function walkCall(
  w: Walker,
  node: Node,
  operands: readonly HostTensor[],
  taints: readonly (number | undefined)[],
  calls: readonly Node[],
): { result: HostTensor; taint: number | undefined } {
  if (node.op !== 'call') throw new Error(`internal: ${node.op} is not a call`);
  const kernel = w.kernels.get(node.attrs.callee);
  if (kernel === undefined) throw new KilnError({ op: 'call', message: `no kernel @${node.attrs.callee}`, ...(node.loc !== undefined ? { source: node.loc } : {}) });
  if (kernel.outputs.length !== 1) throw new KilnError({ op: 'call', message: `kernel @${kernel.name} must have exactly one output, has ${kernel.outputs.length}` });
  kernel.inputs.forEach((inp, i) => {
    const t = operands[i];
    if (t !== undefined && !typesEqual(t.type, inp.type)) throw new KilnError({ op: 'call', message: `operand #${i} does not match @${kernel.name}` });
  });
  const r = walk(w, kernel, operands, taints, calls);
  return { result: { type: node.type, data: r.outs[0]!.data }, taint: r.taints[0] };
}

/** Records `node` as a new origin and returns its taint. */
function originAt(w: Walker, node: Node, scope: Graph, calls: readonly Node[], operands: readonly HostTensor[], bad: Bad): number {
  const elementwise = opDefErased(node.op).fusion === 'elementwise';
  const samples = operands.map((t) => (elementwise && typesEqualShape(t, node) ? { sample: t.data[bad.index]! } : {}));
  w.origins.push({ ...bad, origin: 'node', node, scope, calls, operands: samples });
  return w.origins.length - 1;
}

function typesEqualShape(t: HostTensor, node: Node): boolean {
  return t.type.shape.length === node.type.shape.length && t.type.shape.every((d, i) => d === node.type.shape[i]);
}

interface Bad {
  readonly kind: NonFiniteKind;
  readonly index: number;
}

/** The first NaN of an f32 tensor, else its first ±Inf; undefined when all finite or not f32. */
function firstNonFinite(t: HostTensor): Bad | undefined {
  if (t.type.dtype !== 'f32') return undefined;
  const d = t.data;
  const first = firstBad(d);
  if (first < 0) return undefined;
  for (let i = first; i < d.length; i++) if (Number.isNaN(d[i]!)) return { kind: 'NaN', index: i };
  return { kind: 'Inf', index: first };
}

/** Index of the first NaN or ±Inf, or -1; `x - x` is 0 exactly for finite x. */
function firstBad(d: HostArray): number {
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    if (x - x !== 0) return i;
  }
  return -1;
}

/** The node's line as the IR printer prints it, names and all. */
function irLine(scope: Graph, node: Node): string {
  const index = scope.nodes.indexOf(node);
  // Printing without kernels prints just `scope`: its header line, then one line per node.
  const lines = print({ ...scope, kernels: [] }).split('\n');
  return (lines[1 + index] ?? '').trim();
}

/** " (kernel @k, called by %y)" for a node inside fused kernels, outermost call first. */
function callChain(site: NonFiniteNode, graph: Graph): string {
  if (site.calls.length === 0) return '';
  const kernels = kernelMap(graph);
  let scope: Graph | undefined = graph;
  const parts: string[] = [];
  for (const call of site.calls) {
    if (call.op !== 'call') continue;
    const name = scope !== undefined ? valueNames(scope).get(call.id) : call.name;
    parts.push(`kernel @${call.attrs.callee} called by %${name ?? `#${call.id}`}`);
    scope = kernels.get(call.attrs.callee);
  }
  return ` (${parts.join(', ')})`;
}

/** f32 samples in their shortest round-tripping form (0.1, not 0.10000000149011612). */
function formatSample(x: number): string {
  if (!Number.isFinite(x) || Math.fround(x) !== x) return formatNumber(x);
  for (let p = 1; p <= 9; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === x) return formatNumber(s);
  }
  return formatNumber(x);
}
