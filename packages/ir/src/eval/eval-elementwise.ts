// CPU eval rules for elementwise ops. The arithmetic itself is the registry's scalar semantics
// (`opDef(op).scalar`), computed in f64 and rounded/wrapped by the result's typed-array store.

import { isInteger } from '../dtype.js';
import { opDefErased, type OpKind } from '../ops/index.js';
import { floatToI32, floatToU32 } from './host-tensor.js';
import { allocateResult, arg, type EvalRule } from './eval-rule.js';

/** The rule for an op with registry scalar semantics: one output element from same-index operands. */
export function pointwise<K extends OpKind>(op: K): EvalRule<K> {
  const sem = opDefErased(op).scalar;
  if (sem === undefined) throw new Error(`internal: op ${op} has no scalar semantics`);
  return (node, operands, ctx) => {
    const out = allocateResult(node, ctx);
    const o = out.data;
    const n = o.length;
    // The last operand carries the value dtype (for select the first is the bool predicate).
    const intValues = isInteger(arg(operands, operands.length - 1).type.dtype);
    const f = intValues && sem.int !== undefined ? sem.int : sem.f;
    // Call with exactly the op's arity: the registry passes Math.max/Math.min directly, which
    // would also take a padding third argument into account.
    const f1 = f as (a: number) => number;
    const f2 = f as (a: number, b: number) => number;
    // A bool result keeps only the low bit: `not` is ~x, which maps 0/1 to -1/-2.
    const mask = node.type.dtype === 'bool';
    const a = arg(operands, 0).data;
    switch (operands.length) {
      case 1:
        if (mask) for (let i = 0; i < n; i++) o[i] = f1(a[i]!) & 1;
        else for (let i = 0; i < n; i++) o[i] = f1(a[i]!);
        break;
      case 2: {
        const b = arg(operands, 1).data;
        if (mask) for (let i = 0; i < n; i++) o[i] = f2(a[i]!, b[i]!) & 1;
        else for (let i = 0; i < n; i++) o[i] = f2(a[i]!, b[i]!);
        break;
      }
      case 3: {
        const b = arg(operands, 1).data;
        const c = arg(operands, 2).data;
        if (mask) for (let i = 0; i < n; i++) o[i] = f(a[i]!, b[i]!, c[i]!) & 1;
        else for (let i = 0; i < n; i++) o[i] = f(a[i]!, b[i]!, c[i]!);
        break;
      }
      default:
        throw new Error(`internal: elementwise op ${op} with ${operands.length} operands`);
    }
    return out;
  };
}

/**
 * cast: float → int truncates toward zero and clamps (NaN → 0), as WGSL does, rather than
 * wrapping like a typed-array store; int ↔ int reinterprets the 32 bits; → bool tests != 0.
 */
export const evalCast: EvalRule<'cast'> = (node, operands, ctx) => {
  const x = arg(operands, 0);
  const out = allocateResult(node, ctx);
  const a = x.data;
  const o = out.data;
  const n = o.length;
  const fromFloat = x.type.dtype === 'f32';
  const to = node.attrs.dtype;
  switch (to) {
    case 'f32':
      for (let i = 0; i < n; i++) o[i] = a[i]!;
      break;
    case 'bool':
      for (let i = 0; i < n; i++) o[i] = a[i]! !== 0 ? 1 : 0;
      break;
    case 'i32':
      if (fromFloat) for (let i = 0; i < n; i++) o[i] = floatToI32(a[i]!);
      else for (let i = 0; i < n; i++) o[i] = a[i]! | 0;
      break;
    case 'u32':
      if (fromFloat) for (let i = 0; i < n; i++) o[i] = floatToU32(a[i]!);
      else for (let i = 0; i < n; i++) o[i] = a[i]! >>> 0;
      break;
    default: {
      const never: never = to;
      return never;
    }
  }
  return out;
};
