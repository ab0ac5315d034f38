// ONNX Gradient (ai.onnx.preview.training): dy/dx for each x of `xs`, where y is a function of
// xs ∪ zs. Built with passes' symbolic autodiff: the Kiln nodes computing y from xs ∪ zs are
// re-emitted on the Gradient node's own inputs (the spec's inputs are the values of xs, then zs),
// and backprop runs only through that copy, so the outputs are partial derivatives at those values.

import { KilnError, formatType, numel, typesEqual, type GraphBuilder, type ValueId } from '@kiln/ir';
import { appendGradients } from '@kiln/passes';
import type { OnnxAttrValue, OnnxNode } from '../model.js';

const GRADIENT_ATTRS = ['xs', 'y', 'zs'];

/** The Kiln value of an ONNX name defined so far (an error naming `where` when it is not). */
export type ValueLookup = (name: string, where: string) => ValueId;

function names(node: OnnxNode, attr: string, where: string): string[] | undefined {
  const a: OnnxAttrValue | undefined = node.attributes.find((x) => x.name === attr)?.value;
  if (a === undefined) return undefined;
  if (a.kind === 'strings') return [...a.value];
  if (a.kind === 'string') return [a.value];
  throw new KilnError({ op: where, message: `attribute ${attr} must be strings, got ${a.kind}` });
}

/** Lowers one Gradient node into `b`; returns dy/dx per name of `xs`, in order. */
export function lowerGradient(b: GraphBuilder, node: OnnxNode, where: string, valueOf: ValueLookup): ValueId[] {
  const err = (message: string): KilnError => new KilnError({ op: where, message });
  for (const a of node.attributes) if (!GRADIENT_ATTRS.includes(a.name)) throw err(`unsupported attribute ${a.name} of Gradient`);
  const xs = names(node, 'xs', where);
  const [yName, ...extra] = names(node, 'y', where) ?? [];
  if (xs === undefined || xs.length === 0) throw err('attribute xs (the tensors to differentiate with respect to) is required');
  if (yName === undefined || extra.length > 0) throw err('attribute y must name exactly one tensor');
  const zs = names(node, 'zs', where) ?? [];
  const subInputs = [...xs, ...zs];
  if (new Set(subInputs).size !== subInputs.length) throw err(`xs and zs name a tensor twice (${subInputs.join(', ')})`);
  if (node.inputs.length !== subInputs.length) throw err(`expects one input per name of xs then zs (${subInputs.length}), got ${node.inputs.length}`);
  if (node.outputs.length > xs.length) throw err(`has ${node.outputs.length} outputs but xs names ${xs.length} tensors`);

  // Each name of xs then zs with its value in the forward graph and the value the node feeds it.
  const feeds = subInputs.map((name, i) => {
    const input = node.inputs[i] ?? '';
    if (input === '') throw err(`input #${i} (the value of "${name}") is required`);
    const fed = { name, original: valueOf(name, `${where} (xs/zs "${name}")`), given: valueOf(input, where) };
    const want = b.typeOf(fed.original);
    const got = b.typeOf(fed.given);
    if (!typesEqual(want, got)) throw err(`input #${i} is ${formatType(got)} but "${name}" is ${formatType(want)}`);
    if (i < xs.length && got.dtype !== 'f32') throw err(`unsupported: cannot differentiate with respect to "${name}" of type ${formatType(got)} (only f32)`);
    return fed;
  });
  const y = valueOf(yName, `${where} (y "${yName}")`);
  const yType = b.typeOf(y);
  if (yType.dtype !== 'f32' || numel(yType.shape) !== 1) throw err(`unsupported: y "${yName}" is ${formatType(yType)}; Kiln differentiates a single-element f32 y (seed 1)`);
  const xIds = feeds.slice(0, xs.length).map((f) => f.given);
  if (new Set(xIds).size !== xIds.length) throw err('unsupported: two xs are fed the same tensor (their partial derivatives would merge)');

  // The nodes on paths from xs ∪ zs to y, re-emitted with xs ∪ zs replaced by the given inputs.
  const g = b.build();
  const map = new Map<ValueId, ValueId>(feeds.map((f) => [f.original, f.given]));
  const dependent = new Set<ValueId>(feeds.map((f) => f.original));
  for (const n of g.nodes) if (n.operands.some((o) => dependent.has(o))) dependent.add(n.id);
  const needed = new Set<ValueId>([y]);
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i];
    if (n !== undefined && needed.has(n.id)) for (const o of n.operands) needed.add(o);
  }
  const firstActiveNode = g.nodes.length;
  for (const n of g.nodes) {
    if (!dependent.has(n.id) || !needed.has(n.id) || map.has(n.id)) continue;
    map.set(
      n.id,
      b.add(
        n.op,
        n.operands.map((o) => map.get(o) ?? o),
        n.attrs,
        { type: n.type },
      ),
    );
  }
  const yCopy = map.get(y) ?? y;
  const seed = b.add('constant', [], { value: 1 }, { type: yType });
  // Gradients flow only through the copy (nodes from firstActiveNode on): values of the forward
  // graph that happen to depend on the given inputs are constants of the differentiated function.
  return appendGradients(b, [yCopy], [seed], xIds, { firstActiveNode });
}
