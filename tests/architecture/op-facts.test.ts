// Op facts live in the registry: the op-name unions derived from it (by fusion class, arity and
// attributes) are the expected sets, and the algebra table covers exactly the binary ops.

import {
  BINARY_ALGEBRA,
  OP_KINDS,
  algebraOf,
  opDefErased,
  REDUCE_WINDOW_KINDS,
  parse,
  verify,
  type BinaryElementwiseOp,
  type LayoutOp,
  type ReduceKind,
  type ReduceOp,
  type ReduceWindowKind,
  type SingleAnchorOp,
  type UnaryElementwiseOp,
} from '@kiln/ir';
import { describe, expect, expectTypeOf, it } from 'vitest';

describe('op-name unions derived from the registry', () => {
  it('have the expected members (checked by tsc)', () => {
    expectTypeOf<BinaryElementwiseOp>().toEqualTypeOf<'add' | 'sub' | 'mul' | 'div' | 'pow' | 'max' | 'min' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'and' | 'or'>();
    expectTypeOf<ReduceOp>().toEqualTypeOf<'reduce_sum' | 'reduce_max' | 'reduce_min'>();
    expectTypeOf<LayoutOp>().toEqualTypeOf<'reshape' | 'transpose' | 'broadcast' | 'slice' | 'pad' | 'concat'>();
    expectTypeOf<ReduceKind>().toEqualTypeOf<'sum' | 'max' | 'min'>();
    expectTypeOf<ReduceWindowKind>().toEqualTypeOf<'max' | 'sum'>();
    expectTypeOf<SingleAnchorOp>().toEqualTypeOf<'reduce_window' | 'select_and_scatter_add' | 'gather' | 'scatter_add'>();
    expectTypeOf<'cast'>().not.toExtend<UnaryElementwiseOp>();
    expectTypeOf<'exp' | 'not' | 'stop_gradient'>().toExtend<UnaryElementwiseOp>();
  });

  it('the algebra table covers exactly the binary elementwise ops of the registry', () => {
    const binary = OP_KINDS.filter((op) => opDefErased(op).fusion === 'elementwise' && opDefErased(op).arity === 2);
    expect(Object.keys(BINARY_ALGEBRA).sort()).toEqual(binary.sort());
  });

  it('commutativity as CSE reads it', () => {
    expect(OP_KINDS.filter((op) => algebraOf(op).commutative).sort()).toEqual(['add', 'and', 'eq', 'max', 'min', 'mul', 'ne', 'or']);
  });

  it('reduce_window kinds are an enum the type rule enforces', () => {
    expect([...REDUCE_WINDOW_KINDS]).toEqual(['max', 'sum']);
    const g = (kind: string): string =>
      `graph @g(%x: f32[1,4,4,1]) -> (out: f32[1,2,2,1]) {\n  %0: f32[1,2,2,1] = reduce_window %x {kind="${kind}", window=[1,2,2,1], stride=[1,2,2,1], padding=[[0,0],[0,0],[0,0],[0,0]]}\n  return %0\n}`;
    expect(verify(parse(g('max')))).toEqual([]);
    expect(
      verify(parse(g('mean')))
        .map((d) => d.message)
        .join('\n'),
    ).toMatch(/kind must be "max" or "sum", got "mean"/);
  });
});
