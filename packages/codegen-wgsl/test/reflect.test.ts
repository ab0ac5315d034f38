// Every template's shader, parsed back with wgsl_reflect, declares exactly the bindings of its
// binding plan (number, name, access, element type) and the planned workgroup size, written
// in full as @workgroup_size(X,1,1).

import { describe, expect, it } from 'vitest';
import { CORE_DEFAULT_LIMITS, generateKernel, reflectShader } from '@kiln/codegen-wgsl';
import { sampleKernels } from './kernels.js';

describe('binding reflection', () => {
  for (const [name, k] of Object.entries(sampleKernels))
    it(`${name}: reflected bindings match the plan`, () => {
      const g = generateKernel(k, CORE_DEFAULT_LIMITS);
      const r = reflectShader(g.wgsl);
      expect(r.bindings).toEqual(g.bindings.all.map((b) => ({ group: 0, binding: b.binding, name: b.name, access: b.access, element: b.element })));
      expect(r.entryPoints).toEqual([{ name: g.entryPoint, workgroupSize: [...g.workgroupSize] }]);
      expect(g.wgsl).toMatch(new RegExp(`@workgroup_size\\(${g.workgroupSize[0]},1,1\\)`));
      // The plan points every used kernel input at its binding.
      g.bindings.inputs.forEach((b, input) => {
        if (b >= 0) expect(g.bindings.all[b]).toMatchObject({ role: 'input', input });
      });
      expect(g.bindings.all[g.bindings.output]!.role).toBe('output');
    });

  it('uses the expected templates and special bindings', () => {
    const gen = (name: string) => generateKernel(sampleKernels[name]!, CORE_DEFAULT_LIMITS);
    const ew = gen('elementwise_pool_unused');
    expect(ew.bindings.inputs).toEqual([0, -1]);
    expect(ew.bindings.constants).toBe(2);
    expect(Array.from(ew.constants!.slice(0, 2))).toEqual([0, new Uint32Array(Float32Array.of(1 / 7).buffer)[0]]);
    expect(gen('reduction').template).toBe('reduction-tree');
    expect(gen('row').template).toBe('row');
    expect(gen('matmul_tiled').template).toBe('matmul-tiled64');
    expect(gen('matmul_tiled').bindings.all.filter((b) => b.element === 'vec4<f32>').length).toBe(2);
    expect(gen('matmul_simple').template).toBe('matmul-simple');
    expect(gen('conv').template).toMatch(/^conv-/);
    const sc = gen('scatter');
    expect(sc.zeroOutput).toBe(true);
    expect(sc.bindings.all[sc.bindings.output]!.element).toBe('atomic<u32>');
  });
});
