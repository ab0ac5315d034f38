// IR verifier: checks SSA order, attribute kinds, every node's type against the registry's rule,
// outputs and state aliasing, and kernel calls against their callee. Run after every pass in tests.

import { formatEnumChoices, isAnnotationKey, isEnumAttrKind, type AttrKind, type AttrValue, type NamedAttrKind } from './attrs.js';
import { dtypeBytes, isDType, type DType } from './dtype.js';
import { KilnError, TypeRuleError, type Diagnostic } from './errors.js';
import type { Graph, Node, ValueId } from './graph.js';
import { isValidName } from './builder.js';
import { isOpKind, opDefErased } from './ops/index.js';
import { valueNames } from './printer.js';
import { MAX_GRAPH_BYTES, formatType, numel, typeSizeProblem, typesEqual, type TensorType } from './shape.js';

export interface VerifyOptions {
  readonly file?: string;
}

export function verify(g: Graph, opts: VerifyOptions = {}): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const kernels = new Map<string, Graph>();
  for (const k of g.kernels) {
    if (k.kind !== 'kernel') diags.push({ message: `@${k.name} in the kernel list is not a kernel`, ...file(opts) });
    if (kernels.has(k.name)) diags.push({ message: `duplicate kernel @${k.name}`, ...file(opts) });
    kernels.set(k.name, k);
    if (k.kernels.length > 0) diags.push({ message: `kernel @${k.name} must not hold kernels`, ...file(opts) });
    if (k.inputs.some((i) => i.state)) diags.push({ message: `kernel @${k.name} must not have state inputs`, ...file(opts) });
    verifyBody(k, kernels, opts, diags);
  }
  verifyBody(g, kernels, opts, diags);
  return diags;
}

export function verifyOrThrow(g: Graph, opts: VerifyOptions = {}): void {
  const diags = verify(g, opts);
  if (diags.length > 0) throw new KilnError(diags);
}

function file(opts: VerifyOptions): { file?: string } {
  return opts.file !== undefined ? { file: opts.file } : {};
}

function verifyBody(g: Graph, kernels: ReadonlyMap<string, Graph>, opts: VerifyOptions, diags: Diagnostic[]): void {
  // Names and diagnostic locations are built only when something is reported: a graph that
  // verifies (nearly always) costs one type check per node, not one label per value.
  let names: ReadonlyMap<ValueId, string> | undefined;
  const label = (v: ValueId): string => `%${(names ??= valueNames(g)).get(v) ?? `#${v}`}`;
  const types = new Map<ValueId, TensorType>();
  const inputNames = new Set<string>();
  for (const i of g.inputs) {
    const at = (): Omit<Diagnostic, 'message'> => ({ ...file(opts), ...(i.pos !== undefined ? { pos: i.pos } : {}), value: `%${i.name}` });
    if (types.has(i.id)) diags.push({ ...at(), message: `value id ${i.id} defined twice` });
    if (inputNames.has(i.name)) diags.push({ ...at(), message: `duplicate input name` });
    inputNames.add(i.name);
    for (const message of annotationProblems(i.annotations)) diags.push({ ...at(), message });
    const size = sizeProblem(i.type);
    if (size !== undefined) diags.push({ ...at(), message: size });
    types.set(i.id, i.type);
  }
  // Defined once, not per node: a closure per node costs (more so under dev-time transpilers).
  const nodeAt = (n: Node): Omit<Diagnostic, 'message'> => ({
    op: n.op,
    value: label(n.id),
    ...file(opts),
    ...(n.pos !== undefined ? { pos: n.pos } : {}),
    ...(n.loc !== undefined ? { source: n.loc } : {}),
  });
  const reportAt = (n: Node, message: string): void => {
    diags.push({ ...nodeAt(n), message });
  };
  for (const n of g.nodes) {
    if (!isOpKind(n.op)) {
      reportAt(n, `unknown op`);
      continue;
    }
    if (types.has(n.id)) reportAt(n, `value id ${n.id} defined twice`);
    const size = sizeProblem(n.type);
    if (size !== undefined) {
      reportAt(n, size);
      types.set(n.id, n.type);
      continue;
    }
    const operandTypes: TensorType[] = [];
    for (const o of n.operands) {
      const t = types.get(o);
      if (t === undefined) reportAt(n, `operand ${label(o)} is used before it is defined`);
      else operandTypes.push(t);
    }
    types.set(n.id, n.type);
    if (operandTypes.length !== n.operands.length) continue;
    for (const message of annotationProblems(n.annotations)) reportAt(n, message);
    const attrProblem = checkAttrs(n);
    if (attrProblem !== undefined) {
      reportAt(n, attrProblem);
      continue;
    }
    const def = opDefErased(n.op);
    if (def.arity === 'variadic' ? n.operands.length < 1 && n.op !== 'call' : n.operands.length !== def.arity) {
      reportAt(n, `expects ${def.arity === 'variadic' ? 'at least 1' : def.arity} operand(s), got ${n.operands.length}`);
      continue;
    }
    try {
      const inferred = def.infer(operandTypes, n.attrs, n.type);
      if (!typesEqual(inferred, n.type)) reportAt(n, `result annotated ${formatType(n.type)} but the operands give ${formatType(inferred)}`);
    } catch (e) {
      if (!(e instanceof TypeRuleError)) throw e;
      reportAt(n, `${e.message} [operands: ${operandTypes.map(formatType).join(', ') || 'none'}]`);
      continue;
    }
    if (n.op === 'call') checkCall(n, operandTypes, kernels, (message) => reportAt(n, message));
    if (n.op === 'constant') {
      const problem = constantValueProblem(n.attrs.value, n.type.dtype);
      if (problem !== undefined) reportAt(n, problem);
    }
  }
  checkGraphBytes(g, types, opts, diags);
  const outNames = new Set<string>();
  const updated = new Set<string>();
  if (!isValidName(g.name)) diags.push({ ...file(opts), message: `invalid ${g.kind} name @${g.name}` });
  for (const o of g.outputs) {
    const at = { ...file(opts), value: label(o.value) };
    const t = types.get(o.value);
    if (t === undefined) {
      diags.push({ ...at, message: `output ${o.name} refers to an undefined value` });
      continue;
    }
    if (o.updatesState) {
      const inp = g.inputs.find((i) => i.name === o.name);
      if (inp === undefined || !inp.state) diags.push({ ...at, message: `output %${o.name} updates state, but there is no state input %${o.name}` });
      else if (!typesEqual(inp.type, t)) diags.push({ ...at, message: `state update %${o.name} has type ${formatType(t)}, input has ${formatType(inp.type)}` });
      if (updated.has(o.name)) diags.push({ ...at, message: `state %${o.name} is updated twice` });
      updated.add(o.name);
    } else {
      if (outNames.has(o.name)) diags.push({ ...at, message: `duplicate output name ${o.name}` });
      if (!isValidName(o.name)) diags.push({ ...at, message: `invalid output name "${o.name}"` });
      outNames.add(o.name);
    }
  }
  // Results are keyed by name, so a plain output may not share a name with a state update.
  for (const name of outNames) if (updated.has(name)) diags.push({ ...file(opts), message: `output ${name} has the same name as the state update %${name}` });
}

const INT_RANGES: Readonly<Record<'i32' | 'u32' | 'bool', readonly [number, number]>> = { i32: [-(2 ** 31), 2 ** 31 - 1], u32: [0, 2 ** 32 - 1], bool: [0, 1] };

/** A constant's values must be what its dtype holds: integers in range for i32/u32, 0/1 for bool (no silent truncation or wrap). */
function constantValueProblem(value: number | readonly number[], dtype: DType): string | undefined {
  if (dtype === 'f32') return undefined;
  const [lo, hi] = INT_RANGES[dtype];
  const values = typeof value === 'number' ? [value] : value;
  const i = values.findIndex((v) => !Number.isInteger(v) || v < lo || v > hi);
  if (i < 0) return undefined;
  const where = typeof value === 'number' ? 'value' : `value[${i}]`;
  return `${where} ${String(values[i])} is not a ${dtype} (${dtype === 'bool' ? '0 or 1' : `an integer in [${lo}, ${hi}]`})`;
}

/** Why no backend can hold a value of type `t`, or undefined when its size is fine. */
function sizeProblem(t: TensorType): string | undefined {
  return typeSizeProblem(t, dtypeBytes(t.dtype));
}

function checkGraphBytes(g: Graph, types: ReadonlyMap<ValueId, TensorType>, opts: VerifyOptions, diags: Diagnostic[]): void {
  let total = 0;
  for (const t of types.values()) total += typeSizeProblem(t, dtypeBytes(t.dtype)) === undefined ? numel(t.shape) * dtypeBytes(t.dtype) : 0;
  if (total > MAX_GRAPH_BYTES) diags.push({ ...file(opts), message: `@${g.name}: its values add up to ${total} bytes, more than the ${MAX_GRAPH_BYTES} (2^40) one graph may hold` });
}

function checkCall(n: Node, operandTypes: readonly TensorType[], kernels: ReadonlyMap<string, Graph>, report: (m: string) => void): void {
  if (n.op !== 'call') return;
  const k = kernels.get(n.attrs.callee);
  if (k === undefined) {
    report(`no kernel @${n.attrs.callee}`);
    return;
  }
  if (k.inputs.length !== operandTypes.length) {
    report(`@${k.name} takes ${k.inputs.length} operand(s), got ${operandTypes.length}`);
    return;
  }
  k.inputs.forEach((inp, i) => {
    const t = operandTypes[i];
    if (t !== undefined && !typesEqual(t, inp.type)) report(`operand #${i} is ${formatType(t)} but @${k.name} expects ${formatType(inp.type)}`);
  });
  const outs = k.outputs.map((o) => k.nodes.find((x) => x.id === o.value)?.type ?? k.inputs.find((x) => x.id === o.value)?.type);
  const out = outs[0];
  if (outs.length !== 1 || out === undefined) report(`@${k.name} must return exactly one value`);
  else if (!typesEqual(out, n.type)) report(`@${k.name} returns ${formatType(out)}, call is annotated ${formatType(n.type)}`);
}

const NO_PROBLEMS: readonly string[] = [];

function annotationProblems(a: Readonly<Record<string, number | undefined>> | undefined): readonly string[] {
  if (a === undefined) return NO_PROBLEMS;
  const problems: string[] = [];
  for (const [k, v] of Object.entries(a)) {
    if (!isAnnotationKey(k)) problems.push(`unknown annotation '${k}'`);
    else if (v === undefined || !Number.isInteger(v) || v < 0) problems.push(`annotation ${k} must be a non-negative integer`);
  }
  return problems;
}

/** Each op's attribute schema as entries, read from the registry once per op. */
const schemaEntries = new Map<Node['op'], readonly (readonly [string, AttrKind])[]>();

function checkAttrs(n: Node): string | undefined {
  const schema = opDefErased(n.op).attrs;
  const attrs = n.attrs as Readonly<Record<string, AttrValue | undefined>>;
  for (const key in attrs) if (!(key in schema)) return `unknown attribute '${key}'`;
  let entries = schemaEntries.get(n.op);
  if (entries === undefined) schemaEntries.set(n.op, (entries = Object.entries(schema)));
  for (const [key, kind] of entries) {
    const v = attrs[key];
    if (v === undefined) return `missing attribute '${key}'`;
    if (isEnumAttrKind(kind)) {
      if (typeof v !== 'string' || !kind.enum.includes(v)) return `${key} must be ${formatEnumChoices(kind)}, got ${JSON.stringify(v)}`;
    } else if (!attrHasKind(v, kind)) return `attribute '${key}' is not a valid ${kind}`;
  }
  return undefined;
}

const isInt = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x);

function attrHasKind(v: AttrValue, kind: NamedAttrKind): boolean {
  switch (kind) {
    case 'int':
      return isInt(v);
    case 'float':
      return typeof v === 'number';
    case 'ints':
      return Array.isArray(v) && v.every(isInt);
    case 'bool':
      return typeof v === 'boolean';
    case 'dtype':
      return typeof v === 'string' && isDType(v);
    case 'symbol':
      return typeof v === 'string';
    case 'pairs':
      return Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && p.every(isInt));
    case 'tensor':
      return typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'number'));
    default: {
      const never: never = kind;
      return never;
    }
  }
}
