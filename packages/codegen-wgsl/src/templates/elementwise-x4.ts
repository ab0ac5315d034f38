// vec4 value functions for the elementwise template: `fn x<id>(q: u32) -> vec4<T>` is the value at
// elements 4q..4q+3. Same-shape f32 inputs load one vec4, elementwise ops use their vec4 forms
// (rules/elementwise-x4-rules.ts), reshapes pass through, a broadcast scalar is splatted; anything
// else (index math, sources, integer ops) packs four calls of its scalar value function.

import { numel, type Node, type ValueId } from '@kiln/ir';
import type { KernelEmitter } from '../kernel-emitter.js';
import { elementwiseX4Rules } from '../rules/elementwise-x4-rules.js';
import { valueType } from '../wgsl-types.js';

type AnyX4Expr = (node: Node, args: readonly string[], em: KernelEmitter) => string | undefined;

function x4Rule(node: Node): AnyX4Expr | undefined {
  if (!Object.hasOwn(elementwiseX4Rules, node.op)) return undefined;
  // Keyed by op: the entry for node.op accepts this node.
  return elementwiseX4Rules[node.op as keyof typeof elementwiseX4Rules] as AnyX4Expr;
}

/** Whether the kernel can run vec4: f32 output of 4k elements that no input reads in place. */
export function vec4Problem(em: KernelEmitter): string | undefined {
  const out = em.typeOf(em.kernel.outputs[0]!.value);
  if (out.dtype !== 'f32') return `output is ${out.dtype}`;
  if (numel(out.shape) % 4 !== 0) return `${numel(out.shape)} elements is not a multiple of 4`;
  if (em.aliasing.fromOutput.size > 0) return 'an input is read in place from the output';
  return undefined;
}

export class X4Emitter {
  private readonly names = new Map<ValueId, string>();
  private readonly fns: string[] = [];

  /** Declares the same-shape f32 inputs vec4; call before any value function is emitted. */
  constructor(private readonly em: KernelEmitter) {
    const n = numel(em.typeOf(em.kernel.outputs[0]!.value).shape);
    em.kernel.inputs.forEach((inp, k) => {
      if (inp.type.dtype === 'f32' && numel(inp.type.shape) === n && !em.aliasing.fromOutput.has(k)) em.vec4Inputs.add(k);
    });
  }

  value4(v: ValueId, q: string): string {
    return `${this.fnFor(v)}(${q})`;
  }

  functions(): string[] {
    return this.fns;
  }

  private fnFor(v: ValueId): string {
    const known = this.names.get(v);
    if (known !== undefined) return known;
    const name = `x${v}`;
    const body = this.bodyOf(v);
    this.fns.push(`// ${this.em.label(v)} at elements 4q..4q+3\nfn ${name}(q: u32) -> ${this.vecType(v)} {\n${body}\n}`);
    this.names.set(v, name);
    return name;
  }

  private vecType(v: ValueId): string {
    return `vec4<${valueType(this.em.typeOf(v).dtype)}>`;
  }

  private bodyOf(v: ValueId): string {
    const em = this.em;
    const k = em.inputNumber(v);
    if (k !== undefined && em.vec4Inputs.has(k)) return `  return ${em.inputVec4(k, 'q')};`;
    const node = em.index.producers.get(v);
    if (node !== undefined) {
      const rule = x4Rule(node);
      // Probe with placeholders first, so operands of a lane-by-lane op get no vec4 functions.
      if (
        rule !== undefined &&
        rule(
          node,
          node.operands.map(() => 'p'),
          em,
        ) !== undefined
      ) {
        const expr = rule(
          node,
          node.operands.map((o) => this.value4(o, 'q')),
          em,
        );
        if (expr !== undefined) return `  return ${expr};`;
      }
      const x = node.operands[0];
      if (node.op === 'reshape' && x !== undefined) return `  return ${this.value4(x, 'q')};`;
      if (node.op === 'broadcast' && x !== undefined && numel(em.typeOf(x).shape) === 1) return `  return ${this.vecType(v)}(${em.value(x, '0u')});`;
    }
    const lanes = [0, 1, 2, 3].map((j) => em.value(v, j === 0 ? 'i' : `i + ${j}u`));
    return `  let i = q * 4u;\n  return ${this.vecType(v)}(${lanes.join(', ')});`;
  }
}
