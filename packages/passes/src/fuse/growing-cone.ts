// A cone while fusion grows it. Nodes join at the topological front (fusion walks the graph
// backwards), so members stay in reverse topological order without sorting, and a joining node
// that is not an anchor changes only the cone's inputs (see ConeStructure): each trial is O(its
// operands) except for anchors, so growing a cone is linear in its size.

import { isAnchor, type Node, type TensorType, type ValueId } from '@kiln/ir';
import type { FusionLimits } from '../pass.js';
import { coneInputs, coneStructure, type ConeStructure } from './cone-check.js';

export interface GrowingCone {
  readonly root: Node;
  /** Members, root first, in reverse topological order. */
  readonly reversed: Node[];
  readonly inputs: Set<ValueId>;
  structure: ConeStructure;
}

export function startCone(n: Node, typeOf: (v: ValueId) => TensorType, limits: FusionLimits): GrowingCone {
  return { root: n, reversed: [n], inputs: coneInputs([n]), structure: coneStructure([n], n, typeOf, limits, true) };
}

/** The members in topological order. */
export function membersOf(cone: GrowingCone): Node[] {
  const out = new Array<Node>(cone.reversed.length);
  for (let i = 0; i < out.length; i++) out[i] = cone.reversed[out.length - 1 - i]!;
  return out;
}

/** The structure and input count the cone would have with `n` (an operand of some member) added. */
export function trialAdd(cone: GrowingCone, n: Node, typeOf: (v: ValueId) => TensorType, limits: FusionLimits): { structure: ConeStructure; inputs: number } {
  let inputs = cone.inputs.size - (cone.inputs.has(n.id) ? 1 : 0);
  // n precedes every member, so none of its operands is a member: each new one is a new input.
  const ops = n.operands;
  for (let k = 0; k < ops.length; k++) if (!cone.inputs.has(ops[k]!) && ops.indexOf(ops[k]!) === k) inputs++;
  const structure = isAnchor(n) ? coneStructure([n, ...membersOf(cone)], cone.root, typeOf, limits, true) : cone.structure;
  return { structure, inputs };
}

export function addToCone(cone: GrowingCone, n: Node, structure: ConeStructure): void {
  cone.reversed.push(n);
  cone.inputs.delete(n.id);
  for (const o of n.operands) cone.inputs.add(o);
  cone.structure = structure;
}
