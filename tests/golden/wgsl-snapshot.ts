// The WGSL golden text of a graph: each kernel (after `outline` for a plain graph, or the kernels
// the fuse pass made) compiled by generateKernel for the core WebGPU limits, with a header line
// naming its template, workgroup size, dispatch grid and bindings.

import { CORE_DEFAULT_LIMITS, generateKernel } from '@kiln/codegen-wgsl';
import type { Graph } from '@kiln/ir';

/** Every kernel of `g` as WGSL, in kernel order, with one `// kernel ...` header line each. */
export function wgslSnapshot(g: Graph): string {
  if (g.kernels.length === 0) throw new Error(`graph @${g.name} has no kernels: outline or fuse it first`);
  return g.kernels
    .map((k) => {
      const gen = generateKernel(k, CORE_DEFAULT_LIMITS);
      const bindings = gen.bindings.all.map((b) => `${b.binding}:${b.role}:${b.element}`).join(' ');
      const header = `// kernel @${k.name}: ${gen.kernelClass} / ${gen.template}, workgroup ${gen.workgroupSize.join('x')}, grid ${gen.workgroups.join('x')}, bindings ${bindings}${gen.zeroOutput ? ', zero-filled output' : ''}`;
      return `${header}\n${gen.wgsl.trimEnd()}\n`;
    })
    .join('\n');
}
