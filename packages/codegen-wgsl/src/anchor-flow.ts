// Which index each value is computed at once an anchor's result enters the kernel body. A
// template has an anchor's result only at the element it is working on, so values downstream
// of an anchor must keep flat indices ('elem': elementwise ops, reshapes, identity layouts) or,
// in row kernels, map between a row's elements and the row itself ('row': one value per row,
// read back through a broadcast along the last axis).

import { elementAt, isAnchor, numel, opDefErased, stridesOf, type Node, type Shape, type ValueId } from '@kiln/ir';
import { broadcastStrides, isIdentityMap, transposeStrides } from './index-math.js';
import type { KernelEmitter } from './kernel-emitter.js';

export type IndexClass = 'elem' | 'row';

/** True when the strided map sends flat index i of `shape` to floor(i / rowLength). */
export function isRowBroadcastMap(shape: Shape, strides: readonly number[], rowLength: number): boolean {
  const own = stridesOf(shape);
  let suffix = 1;
  let p = shape.length;
  while (p > 0 && suffix < rowLength) suffix *= elementAt(shape, --p, 'row broadcast shape');
  if (suffix !== rowLength) return false;
  return shape.every((size, d) => size === 1 || (d >= p ? strides[d] === 0 : strides[d] === elementAt(own, d, 'row broadcast strides') / rowLength));
}

/**
 * Classes of every value that depends on an anchor. Without `rowLength` there is one anchor
 * whose result is 'elem'; in row kernels (`rowLength` given) the anchors are the row
 * reductions, which read whole rows ('elem') and give 'row' results. Throws a KilnError naming
 * the first node whose index map the template cannot honour.
 */
export function anchorFlow(em: KernelEmitter, rowLength?: number): Map<ValueId, IndexClass> {
  const rowKernel = rowLength !== undefined;
  // Rows of length 1 index a row and its only element alike.
  const resultClass: IndexClass = rowKernel && rowLength !== 1 ? 'row' : 'elem';
  const classes = new Map<ValueId, IndexClass>();
  for (const node of em.kernel.nodes) {
    const dep = node.operands.filter((o) => classes.has(o));
    if (isAnchor(node)) {
      if (!rowKernel && dep.length > 0) throw em.error(node, `an anchor cannot read another anchor's result`);
      if (dep.some((o) => classes.get(o) !== 'elem')) throw em.error(node, `row reductions must read whole rows (operand is per-row)`);
      classes.set(node.id, resultClass);
      continue;
    }
    if (dep.length === 0) continue;
    classes.set(node.id, flowThrough(em, node, dep, classes, rowLength === 1 ? undefined : rowLength));
  }
  return classes;
}

function flowThrough(em: KernelEmitter, node: Node, dep: readonly ValueId[], classes: Map<ValueId, IndexClass>, rowLength: number | undefined): IndexClass {
  const first = classes.get(dep[0]!)!;
  const fusion = opDefErased(node.op).fusion;
  if (fusion === 'elementwise') {
    if (dep.some((o) => classes.get(o) !== first)) throw em.error(node, 'mixes per-row and per-element values');
    return first;
  }
  let strides: number[] | undefined;
  const inShape = em.typeOf(dep[0]!).shape;
  switch (node.op) {
    case 'reshape':
      return first;
    case 'broadcast':
      strides = broadcastStrides(inShape, node.attrs.dims, node.type.shape.length);
      break;
    case 'transpose':
      strides = transposeStrides(inShape, node.attrs.perm);
      break;
    default:
      break;
  }
  if (strides !== undefined && isIdentityMap(node.type.shape, strides)) return first;
  // Empty rows: per-element values have no elements, so any map will do.
  if (rowLength === 0 && numel(node.type.shape) === 0) return 'elem';
  if (
    node.op === 'broadcast' &&
    strides !== undefined &&
    first === 'row' &&
    rowLength !== undefined &&
    numel(inShape) * rowLength === numel(node.type.shape) &&
    isRowBroadcastMap(node.type.shape, strides, rowLength)
  )
    return 'elem';
  throw em.error(
    node,
    `${node.op} cannot consume an anchor's result here (only elementwise ops, reshapes${rowLength !== undefined ? ' and broadcasts of row results along the last axis' : ''} may follow an anchor)`,
  );
}
