// Control flow and subgraphs, resolved at import time: If with a known condition lowers the taken
// branch in place; Loop (trip count and conditions known), Scan and SequenceMap are unrolled, each
// copy of the body renamed apart (renameBody), so the Kiln graph has no control flow.

import { KilnError, elementAt, type ValueId } from '@kiln/ir';
import type { OnnxAttribute, OnnxGraph, OnnxNode } from '../model.js';
import { NeedsStaticInput } from './node-ctx.js';
import type { ImportScope, Slot } from './scope.js';

/** Every name a graph defines, its nested subgraphs (If branches...) included. */
function definedNames(g: OnnxGraph, into: Set<string>): Set<string> {
  for (const i of g.inputs) into.add(i.name);
  for (const n of g.nodes) {
    for (const o of n.outputs) into.add(o);
    for (const a of n.attributes) if (a.value.kind === 'graph') definedNames(a.value.value, into);
  }
  return into;
}

function renameGraph(g: OnnxGraph, rename: (name: string) => string): OnnxGraph {
  return {
    ...g,
    inputs: g.inputs.map((i) => ({ ...i, name: rename(i.name) })),
    outputs: g.outputs.map((o) => ({ ...o, name: rename(o.name) })),
    nodes: g.nodes.map((n) => renameNode(n, rename)),
  };
}

function renameNode(n: OnnxNode, rename: (name: string) => string): OnnxNode {
  const attributes = n.attributes.map((a): OnnxAttribute => (a.value.kind === 'graph' ? { name: a.name, value: { kind: 'graph', value: renameGraph(a.value.value, rename) } } : a));
  return { ...n, inputs: n.inputs.map(rename), outputs: n.outputs.map(rename), attributes };
}

/**
 * A copy of a body's nodes with every name it defines (inputs, node outputs, in nested subgraphs
 * too) renamed apart by `tag`, so the body can be inlined more than once; names from the
 * enclosing graph are kept.
 */
export function renameBody(body: OnnxGraph, tag: string): { readonly nodes: OnnxNode[]; readonly rename: (name: string) => string } {
  const defined = definedNames(body, new Set());
  const rename = (name: string): string => (name !== '' && defined.has(name) ? `\u0000${tag}/${name}` : name);
  return { nodes: body.nodes.map((n) => renameNode(n, rename)), rename };
}

// SequenceMap: the body is inlined once per item (its names renamed apart per copy), each copy
// fed item k of every sequence input and the same tensor for every tensor input.
export function lowerSequenceMap(s: ImportScope, node: OnnxNode, where: string): void {
  const body = node.attributes.find((a) => a.name === 'body')?.value;
  if (body === undefined || body.kind !== 'graph') throw new KilnError({ op: where, message: 'attribute body (a graph) is required' });
  for (const a of node.attributes) if (a.name !== 'body') throw new KilnError({ op: where, message: `unsupported attribute ${a.name} of SequenceMap` });
  if (body.value.initializers.length > 0) throw new KilnError({ op: where, message: 'unsupported: initializers inside a SequenceMap body' });
  const feeds = node.inputs.map((name, j) => {
    const slot = s.slots.get(name);
    if (slot === undefined) throw new KilnError({ op: where, message: `input #${j} "${name}" is not defined before use` });
    return slot;
  });
  const lengths = feeds.flatMap((f) => (f.kind === 'sequence' ? [f.items.length] : []));
  const n = lengths[0];
  if (feeds[0]?.kind !== 'sequence' || n === undefined) throw new KilnError({ op: where, message: `input #0 "${node.inputs[0] ?? ''}" is not a sequence` });
  if (lengths.some((l) => l !== n)) throw new KilnError({ op: where, message: `its sequence inputs differ in length (${lengths.join(', ')})` });
  if (n * body.value.nodes.length > s.limits.maxNodes) throw new KilnError({ op: where, message: `unrolling ${n} items would exceed ${s.limits.maxNodes} nodes (the limit)` });
  if (body.value.inputs.length !== node.inputs.length || body.value.outputs.length !== node.outputs.length)
    throw new KilnError({
      op: where,
      message: `the body has ${body.value.inputs.length} inputs and ${body.value.outputs.length} outputs for ${node.inputs.length} and ${node.outputs.length}`,
    });
  const items: string[][] = node.outputs.map(() => []);
  for (let k = 0; k < n; k++) {
    const copy = renameBody(body.value, s.freshTag(where, k));
    body.value.inputs.forEach((bi, j) => {
      const f = feeds[j];
      const slot = f?.kind === 'sequence' ? s.slots.get(f.items[k] ?? '') : f;
      if (slot === undefined) throw new KilnError({ op: where, message: `internal: SequenceMap input #${j} has no value` });
      s.slots.set(copy.rename(bi.name), slot);
    });
    for (const bn of copy.nodes) s.lowerNode(bn);
    body.value.outputs.forEach((bo, j) => {
      const name = copy.rename(bo.name);
      if (s.slots.get(name)?.kind === 'sequence') throw new KilnError({ op: where, message: 'unsupported: a SequenceMap body whose output is a sequence' });
      items[j]?.push(name);
    });
  }
  items.forEach((list, j) => s.bindSlot(node, where, { kind: 'sequence', items: list }, j));
}

/** The scalar value of input i, which must be known at import time (Loop's trip count and condition). */
function staticScalar(s: ImportScope, node: OnnxNode, i: number, where: string, what: string): number {
  const name = node.inputs[i] ?? '';
  const slot = s.slots.get(name);
  const v = slot === undefined ? undefined : s.staticOf(slot, name);
  if (v === undefined) {
    if (s.isGraphInput(name)) throw new NeedsStaticInput(name, where);
    throw new KilnError({ op: where, message: `${what} "${name}" must be known at import time: Kiln unrolls loops when importing, and this value is computed at run time` });
  }
  const x = v.values[0];
  if (v.values.length !== 1 || x === undefined) throw new KilnError({ op: where, message: `${what} must be a scalar, got ${v.values.length} values` });
  return x;
}

// Loop with a trip count and conditions known at import time: the body is unrolled, each copy's
// names renamed apart; loop-carried values thread through the copies, scan outputs are stacked.
export function lowerLoop(s: ImportScope, node: OnnxNode, where: string): void {
  const body = node.attributes.find((a) => a.name === 'body')?.value;
  if (body === undefined || body.kind !== 'graph') throw new KilnError({ op: where, message: 'attribute body (a graph) is required' });
  for (const a of node.attributes) if (a.name !== 'body') throw new KilnError({ op: where, message: `unsupported attribute ${a.name} of Loop` });
  if (body.value.initializers.length > 0) throw new KilnError({ op: where, message: 'unsupported: initializers inside a Loop body' });
  const carried = node.inputs.slice(2).map((name, j) => {
    const slot = s.slots.get(name);
    if (slot === undefined) throw new KilnError({ op: where, message: `loop-carried input #${j} "${name}" is not defined before use` });
    return slot;
  });
  const scans = body.value.outputs.length - 1 - carried.length;
  if (body.value.inputs.length !== carried.length + 2 || scans < 0 || node.outputs.length > carried.length + scans)
    throw new KilnError({
      op: where,
      message: `the body's ${body.value.inputs.length} inputs and ${body.value.outputs.length} outputs do not fit ${carried.length} loop-carried values`,
    });
  const hasTrip = (node.inputs[0] ?? '') !== '';
  const trips = hasTrip ? staticScalar(s, node, 0, where, 'trip count M') : Infinity;
  let cond = (node.inputs[1] ?? '') !== '' ? staticScalar(s, node, 1, where, 'condition') !== 0 : true;
  // No up-front size check: a large trip count with a condition that ends the loop early is common;
  // the importer's node budget (lowerNode) stops a runaway unroll, nested loops included.
  const scanned: ValueId[][] = Array.from({ length: scans }, () => []);
  let state = carried;
  for (let k = 0; k < trips && cond; k++) {
    const copy = renameBody(body.value, s.freshTag(where, k));
    const [iterIn, condIn, ...stateIn] = body.value.inputs;
    if (iterIn !== undefined) s.slots.set(copy.rename(iterIn.name), { kind: 'static', value: { dims: [], values: [k], dtype: 'i32' } });
    if (condIn !== undefined) s.slots.set(copy.rename(condIn.name), { kind: 'static', value: { dims: [], values: [cond ? 1 : 0], dtype: 'bool' } });
    stateIn.forEach((bi, j) => {
      const slot = state[j];
      if (slot !== undefined) s.slots.set(copy.rename(bi.name), slot);
    });
    for (const bn of copy.nodes) s.lowerNode(bn);
    const out = (j: number): Slot => {
      const name = copy.rename(body.value.outputs[j]?.name ?? '');
      const slot = s.slots.get(name);
      if (slot === undefined) throw new KilnError({ op: where, message: `body output #${j} "${name}" is not defined` });
      return slot;
    };
    const condOut = out(0);
    const c = s.staticOf(condOut, 'cond');
    if (c === undefined) throw new KilnError({ op: where, message: 'unsupported: a Loop whose condition is computed at run time (Kiln unrolls loops at import)' });
    const next = c.values[0];
    if (c.values.length !== 1 || next === undefined) throw new KilnError({ op: where, message: `the body's condition must be a scalar, got ${c.values.length} values` });
    cond = next !== 0;
    state = carried.map((_, j) => out(1 + j));
    scanned.forEach((list, j) => list.push(s.valueOf(copy.rename(body.value.outputs[1 + carried.length + j]?.name ?? ''), where)));
  }
  state.forEach((slot, j) => s.bindSlot(node, where, slot, j));
  scanned.forEach((list, j) => {
    const e = s.emitter(where);
    const rows = list.map((v) => e.reshape(v, [1, ...e.shape(v)]));
    const [only, ...more] = rows;
    if (only === undefined) throw new KilnError({ op: where, message: `unsupported: scan output #${j} of a Loop that ran no iteration (its shape is unknown)` });
    s.bindSlot(node, where, { kind: 'value', id: more.length === 0 ? only : e.op('concat', rows, { axis: 0 }) }, carried.length + j);
  });
}

const SCAN_ATTRS = ['body', 'num_scan_inputs', 'scan_input_axes', 'scan_input_directions', 'scan_output_axes', 'scan_output_directions', 'directions'];

// Scan, unrolled: each scan input is cut into slices along its axis, the body runs once per slice
// with the state threaded through, and the scan outputs are stacked on their axes. Opset 8's Scan
// has a batch axis first: each batch element is unrolled on its own and the results restacked.
export function lowerScan(s: ImportScope, node: OnnxNode, where: string): void {
  const err = (message: string): KilnError => new KilnError({ op: where, message });
  const attr = (name: string) => node.attributes.find((a) => a.name === name)?.value;
  for (const a of node.attributes) if (!SCAN_ATTRS.includes(a.name)) throw err(`unsupported attribute ${a.name} of Scan`);
  const body = attr('body');
  const m = attr('num_scan_inputs');
  if (body?.kind !== 'graph' || m?.kind !== 'int') throw err('attributes body (a graph) and num_scan_inputs are required');
  if (body.value.initializers.length > 0) throw err('unsupported: initializers inside a Scan body');
  const ints = (name: string, n: number, dflt: number): number[] => {
    const a = attr(name);
    if (a === undefined) return new Array<number>(n).fill(dflt);
    if (a.kind !== 'ints' || a.value.length !== n) throw err(`attribute ${name} must be ${n} ints`);
    return [...a.value];
  };
  const batched = s.opset < 9;
  if (batched && (node.inputs[0] ?? '') !== '') throw err('unsupported: Scan with sequence_lens');
  const operands = (batched ? node.inputs.slice(1) : node.inputs).map((name) => s.valueOf(name, where));
  const n = operands.length - m.value;
  if (n < 0 || body.value.inputs.length !== operands.length || body.value.outputs.length < n) throw err(`the body does not fit ${n} state and ${m.value} scan inputs`);
  const k = body.value.outputs.length - n;
  const e = s.emitter(where);
  const plan: ScanPlan = {
    states: n,
    inAxes: batched ? new Array<number>(m.value).fill(0) : ints('scan_input_axes', m.value, 0),
    inReverse: ints(batched ? 'directions' : 'scan_input_directions', m.value, 0).map((d) => d === 1),
    outAxes: batched ? new Array<number>(k).fill(0) : ints('scan_output_axes', k, 0),
    outReverse: batched ? new Array<boolean>(k).fill(false) : ints('scan_output_directions', k, 0).map((d) => d === 1),
  };
  let results: ValueId[];
  if (!batched) results = unrollScan(s, body.value, where, operands, plan);
  else {
    const first = operands[0];
    const batch = first === undefined ? undefined : e.shape(first)[0];
    if (batch === undefined || batch === 0 || operands.some((v) => e.shape(v)[0] !== batch)) throw err('every input needs the same (non-empty) batch dimension first (opset 8)');
    const per = Array.from({ length: batch }, (_, bi) =>
      unrollScan(
        s,
        body.value,
        where,
        operands.map((v) => takeAt(s, where, v, 0, bi)),
        plan,
      ),
    );
    results = elementAt(per, 0, 'Scan batch results').map((_, j) =>
      stack(
        s,
        where,
        per.map((r) => elementAt(r, j, 'Scan results')),
        0,
      ),
    );
  }
  results.forEach((id, j) => s.bindSlot(node, where, { kind: 'value', id }, j));
}

interface ScanPlan {
  readonly states: number;
  readonly inAxes: readonly number[];
  readonly inReverse: readonly boolean[];
  readonly outAxes: readonly number[];
  readonly outReverse: readonly boolean[];
}

/** v[..., i, ...] along `axis`, that axis removed. */
function takeAt(s: ImportScope, where: string, v: ValueId, axis: number, i: number): ValueId {
  const e = s.emitter(where);
  const shape = e.shape(v);
  const part = e.op('slice', [v], { start: shape.map((_, d) => (d === axis ? i : 0)), limit: shape.map((dim, d) => (d === axis ? i + 1 : dim)), stride: shape.map(() => 1) });
  return e.reshape(
    part,
    shape.filter((_, d) => d !== axis),
  );
}

/** The values stacked along a new `axis`. */
function stack(s: ImportScope, where: string, vs: readonly ValueId[], axis: number): ValueId {
  const e = s.emitter(where);
  const rows = vs.map((v) => {
    const shape = e.shape(v);
    return e.reshape(v, [...shape.slice(0, axis), 1, ...shape.slice(axis)]);
  });
  const [only, ...more] = rows;
  if (only === undefined) throw new KilnError({ op: where, message: 'unsupported: a scan output of zero iterations (its shape is unknown)' });
  return more.length === 0 ? only : e.op('concat', rows, { axis });
}

/** Final states then stacked scan outputs of one unrolled Scan over `operands` (states, then scan inputs). */
function unrollScan(s: ImportScope, body: OnnxGraph, where: string, operands: readonly ValueId[], p: ScanPlan): ValueId[] {
  const e = s.emitter(where);
  const scans = operands.slice(p.states);
  const axes = scans.map((v, j) => e.axis(elementAt(p.inAxes, j, 'scan_input_axes'), e.rank(v), 'scan_input_axes'));
  const lengths = scans.map((v, j) => elementAt(e.shape(v), elementAt(axes, j, 'scan axes'), 'scan input shape'));
  const steps = lengths[0];
  if (steps === undefined) throw new KilnError({ op: where, message: 'Scan needs at least one scan input' });
  if (lengths.some((l) => l !== steps)) throw new KilnError({ op: where, message: `scan inputs differ in length (${lengths.join(', ')})` });
  if (steps * body.nodes.length > s.limits.maxNodes) throw new KilnError({ op: where, message: `unrolling ${steps} iterations would exceed ${s.limits.maxNodes} nodes (the limit)` });
  let states = operands.slice(0, p.states);
  const outs: ValueId[][] = body.outputs.slice(p.states).map(() => []);
  for (let t = 0; t < steps; t++) {
    const copy = renameBody(body, s.freshTag(where, t));
    const fed = [...states, ...scans.map((v, j) => takeAt(s, where, v, elementAt(axes, j, 'scan axes'), p.inReverse[j] === true ? steps - 1 - t : t))];
    body.inputs.forEach((bi, j) => s.slots.set(copy.rename(bi.name), { kind: 'value', id: elementAt(fed, j, 'Scan body inputs') }));
    for (const bn of copy.nodes) s.lowerNode(bn);
    const result = body.outputs.map((bo) => s.valueOf(copy.rename(bo.name), where));
    states = result.slice(0, p.states);
    result.slice(p.states).forEach((v, j) => outs[j]?.push(v));
  }
  if (steps === 0 && outs.length > 0) throw new KilnError({ op: where, message: 'unsupported: a Scan over zero slices (its scan outputs have no shape)' });
  return [
    ...states,
    ...outs.map((list, j) => {
      const axis = e.axis(elementAt(p.outAxes, j, 'scan_output_axes'), e.rank(elementAt(list, 0, 'scan outputs')) + 1, 'scan_output_axes');
      return stack(s, where, p.outReverse[j] === true ? [...list].reverse() : list, axis);
    }),
  ];
}

// If with a condition known at import time: the taken branch's nodes are lowered in place.
export function lowerIf(s: ImportScope, node: OnnxNode, where: string): void {
  const condName = node.inputs[0] ?? '';
  const slot = s.slots.get(condName);
  if (slot === undefined) s.valueOf(condName, where);
  const cs = s.slots.get(condName);
  const cond = cs === undefined ? undefined : s.staticOf(cs, condName);
  if (cond === undefined) {
    if (s.isGraphInput(condName)) throw new NeedsStaticInput(condName, where);
    throw new KilnError({ op: where, message: 'unsupported: If whose condition is computed at run time (Kiln graphs have no control flow)' });
  }
  if (cond.values.length !== 1) throw new KilnError({ op: where, message: `If condition must hold exactly one value, got ${cond.values.length}` });
  const branch = node.attributes.find((a) => a.name === (cond.values[0] !== 0 ? 'then_branch' : 'else_branch'))?.value;
  if (branch === undefined || branch.kind !== 'graph') throw new KilnError({ op: where, message: 'If without its branch graphs' });
  if (branch.value.initializers.length > 0) throw new KilnError({ op: where, message: 'unsupported: initializers inside an If branch' });
  for (const n of branch.value.nodes) s.lowerNode(n);
  node.outputs.forEach((name, i) => {
    const src = branch.value.outputs[i]?.name;
    const s2 = src === undefined ? undefined : s.slots.get(src);
    if (s2 === undefined) throw new KilnError({ op: where, message: `branch output #${i} is not defined` });
    if (name !== '') s.slots.set(name, s2);
  });
}
