// Assembles one WGSL module from a template's pieces and the emitted value functions: the
// provenance comment, binding declarations (only inputs actually read), declarations, the
// prelude helpers the text calls, functions and the entry point; plus the binding plan.

import { FNV_PRIME, KilnError, elementAt, fnv1a32, hex32, numel, print, type Graph, type KernelClass } from '@kiln/ir';
import { CONSTANT_POOL, OUTPUT_BUFFER, inputBuffer, type KernelEmitter } from './kernel-emitter.js';
import type { DeviceLimits } from './limits.js';
import { helpersFor } from './prelude.js';
import type { TemplateResult } from './templates/common.js';
import { ENTRY_POINT, MAIN_PARAMS, SUBGROUP_PARAMS } from './templates/common.js';
import type { BindingPlan, GeneratedKernel, KernelBinding } from './generated-kernel.js';
import { storageType } from './wgsl-types.js';

const PROVENANCE_LINE_MAX = 200;

function provenance(kernel: Graph, kind: KernelClass['kind'], template: string, plan: BindingPlan): string {
  const lines = [`// Kiln kernel @${kernel.name} (class ${kind}, template ${template}). IR computed here:`];
  for (const line of print(kernel).trimEnd().split('\n')) {
    const clipped = line.length > PROVENANCE_LINE_MAX ? `${line.slice(0, PROVENANCE_LINE_MAX)} …` : line;
    lines.push(`//   ${clipped}`);
  }
  const inputName = (i: number | undefined): string => {
    if (i === undefined) throw new KilnError({ message: `internal: kernel @${kernel.name}: an input binding has no input index` });
    return elementAt(kernel.inputs, i, `kernel @${kernel.name} inputs`).name;
  };
  for (const b of plan.all) {
    const what =
      b.role === 'input' ? `%${inputName(b.input)} (input ${b.input})` : b.role === 'output' ? `%${elementAt(kernel.outputs, 0, 'kernel outputs').name} (output)` : 'constant pool';
    lines.push(`// @binding(${b.binding}) ${b.name}: ${what}`);
  }
  return lines.join('\n');
}

function bindingPlan(em: KernelEmitter, t: TemplateResult): BindingPlan {
  const all: KernelBinding[] = [];
  const inputs = em.kernel.inputs.map(() => -1);
  [...em.usedInputs]
    .sort((a, b) => a - b)
    .forEach((k) => {
      inputs[k] = all.length;
      const dtype = em.kernel.inputs[k]!.type.dtype;
      all.push({
        binding: all.length,
        role: 'input',
        input: k,
        name: inputBuffer(k),
        access: em.aliasing.readWrite.has(k) ? 'read_write' : 'read',
        element: em.vec4Inputs.has(k) ? 'vec4<f32>' : storageType(dtype),
      });
    });
  const outType = em.typeOf(em.kernel.outputs[0]!.value);
  const outElem = storageType(outType.dtype);
  const output = all.length;
  all.push({
    binding: output,
    role: 'output',
    name: OUTPUT_BUFFER,
    access: 'read_write',
    element: t.atomicOutput === true ? `atomic<${outElem === 'f32' ? 'u32' : outElem}>` : t.vec4Output === true ? 'vec4<f32>' : outElem,
  });
  if (em.constantWords.length === 0) return { inputs, output, all };
  const constants = all.length;
  all.push({ binding: constants, role: 'constants', name: CONSTANT_POOL, access: 'read', element: 'u32' });
  return { inputs, output, constants, all };
}

function checkLimits(em: KernelEmitter, plan: BindingPlan, limits: DeviceLimits): void {
  if (plan.all.length > limits.maxStorageBuffersPerShaderStage)
    throw new KilnError({
      message: `kernel @${em.kernel.name} needs ${plan.all.length} storage buffers (${plan.all.filter((b) => b.role === 'input').length} inputs, output${plan.constants !== undefined ? ', constants' : ''}) but the device allows ${limits.maxStorageBuffersPerShaderStage} per shader stage; fuse less into it`,
    });
  const sizes: [string, number][] = em.kernel.inputs.map((inp) => [`%${inp.name}`, numel(inp.type.shape) * 4]);
  sizes.push(['the output', numel(em.typeOf(em.kernel.outputs[0]!.value).shape) * 4], ['the constant pool', em.constantWords.length * 4]);
  for (const [what, bytes] of sizes)
    if (bytes > limits.maxStorageBufferBindingSize)
      throw new KilnError({ message: `kernel @${em.kernel.name}: ${what} needs ${bytes} bytes, above the device's maxStorageBufferBindingSize ${limits.maxStorageBufferBindingSize}` });
}

/** 64-bit FNV-1a (two 32-bit lanes) of the text without comment lines. */
export function shaderHash(wgsl: string): string {
  const text = wgsl
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('//'))
    .join('\n');
  return hex32(fnv1a32(text)) + hex32(fnv1a32(text, FNV_PRIME ^ 0x5bd1e995, FNV_PRIME + 2));
}

export function assemble(em: KernelEmitter, kind: KernelClass['kind'], t: TemplateResult, limits: DeviceLimits): GeneratedKernel {
  const plan = bindingPlan(em, t);
  checkLimits(em, plan, limits);
  const decls = plan.all.map((b) => `@group(0) @binding(${b.binding}) var<storage, ${b.access}> ${b.name}: array<${b.element}>;`);
  const code = [...t.declarations, ...t.functions, em.functions(), t.main].join('\n');
  const helpers = helpersFor(code);
  const main = em.usesSubgroups ? t.main.replace(`fn main(${MAIN_PARAMS})`, `fn main(${MAIN_PARAMS}, ${SUBGROUP_PARAMS})`) : t.main;
  const body = [...(em.usesSubgroups ? ['enable subgroups;'] : []), ...decls, ...t.declarations, ...(helpers.length > 0 ? [helpers] : []), ...t.functions, em.functions(), main].join(
    '\n',
  );
  const wgsl = `${provenance(em.kernel, kind, t.template, plan)}\n${body}\n`;
  const grid = t.grid;
  return {
    name: em.kernel.name,
    wgsl,
    entryPoint: ENTRY_POINT,
    kernelClass: kind,
    template: t.template,
    bindings: plan,
    ...(em.constantWords.length > 0 ? { constants: Uint32Array.from(em.constantWords) } : {}),
    workgroupSize: [t.workgroupSize, 1, 1],
    workgroups: grid,
    dispatch: () => grid,
    zeroOutput: t.atomicOutput === true,
    hash: shaderHash(body),
  };
}
