// Pass `fold-constants`: evaluates nodes whose operands are all constants with the CPU
// interpreter's `evaluateNode` (f32 semantics, so results are bit-identical) and stores `constant`s.

import { evaluateNode, hostTensor, kernelMap, numel, opDefErased, type Graph, type HostTensor, type LayoutOp, type Node, type OpKind, type ValueId } from '@kiln/ir';
import { constantElements, constantSplat, constantValueAttr } from './constants.js';
import { removeDeadNodes } from './dce.js';
import type { Pass, PassOptions, PassResult } from './pass.js';
import { GraphRewriter, extrasOf, makeNode } from './rewrite.js';

export const DEFAULT_FOLD_SIZE_LIMIT = 4096;

/**
 * Never folded (by fusion class): sources — constants are already folded, random_bits and iota
 * are cheaper to regenerate on the device than to store as tables — and `call`, so fused graphs
 * keep their form.
 */
function neverFolded(node: Node): boolean {
  const f = opDefErased(node.op).fusion;
  return f === 'source' || f === 'call';
}

/**
 * Whether each layout op turns a splat into a splat of the same value (a total table: a new
 * layout op must say). pad does not: its padding value differs from the splat.
 */
const SPLAT_PRESERVING: { readonly [K in LayoutOp]: boolean } = {
  reshape: true,
  transpose: true,
  broadcast: true,
  slice: true,
  concat: true,
  pad: false,
};

function isLayoutOp(op: OpKind): op is LayoutOp {
  return Object.prototype.hasOwnProperty.call(SPLAT_PRESERVING, op);
}

function preservesSplat(node: Node): boolean {
  return isLayoutOp(node.op) && SPLAT_PRESERVING[node.op];
}

export const foldConstantsPass: Pass = {
  name: 'fold-constants',
  description: 'evaluate nodes whose operands are all constants (results up to foldSizeLimit elements, splats of any size)',
  run(graph, options: PassOptions): PassResult {
    const limit = options.foldSizeLimit ?? DEFAULT_FOLD_SIZE_LIMIT;
    const rw = new GraphRewriter(graph);
    const kernels = kernelMap(graph);
    const cache = new Map<ValueId, HostTensor>();
    const tensorOf = (c: Node): HostTensor => {
      let t = cache.get(c.id);
      if (t === undefined) {
        t = hostTensor(c.type, constantElements(c));
        cache.set(c.id, t);
      }
      return t;
    };
    let folded = 0;
    for (const node of graph.nodes) {
      if (neverFolded(node) || node.operands.length === 0) {
        rw.keep(node);
        continue;
      }
      // Stops at the first operand that is not a constant (most nodes have one).
      const constants: Node[] = [];
      for (const o of node.operands) {
        const p = rw.producer(o);
        if (p === undefined || p.op !== 'constant') break;
        constants.push(p);
      }
      if (constants.length !== node.operands.length) {
        rw.keep(node);
        continue;
      }
      const value = splatResult(node, constants, kernels) ?? (numel(node.type.shape) <= limit ? fullResult(node, constants.map(tensorOf), kernels) : undefined);
      if (value === undefined) {
        rw.keep(node);
        continue;
      }
      rw.add(makeNode(node.id, 'constant', [], { value }, node.type, extrasOf(node)));
      folded++;
    }
    if (folded === 0) return { graph, changed: false, stats: { folded: 0, removedNodes: 0 } };
    const dce = removeDeadNodes(rw.finish());
    return { graph: dce.graph, changed: true, stats: { folded, removedNodes: dce.removedNodes } };
  },
};

function fullResult(node: Node, operands: readonly HostTensor[], kernels: ReadonlyMap<string, Graph>): number | number[] {
  return constantValueAttr(evaluateNode(node, operands, kernels, 'f32').data);
}

/**
 * Elementwise ops on splats and splat-preserving layout ops give a splat whatever the size, so
 * they are evaluated on one element: broadcasting a scalar to a large shape still folds.
 */
function splatResult(node: Node, constants: readonly Node[], kernels: ReadonlyMap<string, Graph>): number | undefined {
  if (numel(node.type.shape) === 0) return undefined;
  const splats = constants.map(constantSplat);
  if (splats.some((s) => s === undefined)) return undefined;
  const values = splats as number[];
  if (preservesSplat(node)) return values.every((v) => Object.is(v, values[0])) ? values[0] : undefined;
  if (opDefErased(node.op).fusion !== 'elementwise') return undefined;
  const scalarNode = { ...node, type: { dtype: node.type.dtype, shape: [] } } as Node;
  const scalars = constants.map((c, i) => hostTensor({ dtype: c.type.dtype, shape: [] }, [values[i]!]));
  const r = evaluateNode(scalarNode, scalars, kernels, 'f32').data[0];
  return r;
}
