// generateKernel contracts: a total rule table consistent with the registry, provenance
// comments, limit checks, and KilnErrors for bodies no template can honour.

import { describe, expect, it } from 'vitest';
import { KilnError, OP_KINDS, opDefErased } from '@kiln/ir';
import { COMPAT_DEFAULT_LIMITS, CORE_DEFAULT_LIMITS, generateKernel, wgslRules, type DeviceLimits } from '@kiln/codegen-wgsl';
import { f32, kernel, sampleKernels } from './kernels.js';

describe('wgslRules', () => {
  it('has a rule for every registry op, of the kind its fusion class needs', () => {
    expect(Object.keys(wgslRules).sort()).toEqual([...OP_KINDS].sort());
    for (const op of OP_KINDS) {
      const fusion = opDefErased(op).fusion;
      const kind = wgslRules[op].kind;
      const want = fusion === 'elementwise' ? 'elementwise' : fusion === 'layout' ? 'layout' : fusion === 'source' ? 'source' : fusion === 'call' ? 'invalid' : 'anchor';
      expect(kind, op).toBe(want);
    }
  });
});

describe('generateKernel', () => {
  it('starts with a provenance comment naming the kernel, its class and every IR node', () => {
    const g = generateKernel(sampleKernels['row']!, CORE_DEFAULT_LIMITS);
    const head = g.wgsl.split('\n').slice(0, 8).join('\n');
    expect(g.wgsl.startsWith('// Kiln kernel @k_row (class row, template row)')).toBe(true);
    expect(head).toMatch(/reduce_max %x0 \{axes=\[1\]\}/);
    expect(head).toMatch(/broadcast %0 \{dims=\[0\], shape=\[3,20\]\}/);
    expect(g.wgsl).toMatch(/@binding\(0\) in0: %x0 \(input 0\)/);
  });

  it('hashes code, not names: renamed values give the same hash', () => {
    const a = kernel('k_a', [f32(4)], (kb, [x]) => kb.add('exp', [x!], {}, { name: 'first' }));
    const b = kernel('k_b', [f32(4)], (kb, [x]) => kb.add('exp', [x!], {}, { name: 'second' }));
    const c = kernel('k_c', [f32(4)], (kb, [x]) => kb.add('log', [x!], {}));
    expect(generateKernel(a, CORE_DEFAULT_LIMITS).hash).toBe(generateKernel(b, CORE_DEFAULT_LIMITS).hash);
    expect(generateKernel(a, CORE_DEFAULT_LIMITS).hash).not.toBe(generateKernel(c, CORE_DEFAULT_LIMITS).hash);
  });

  it('rejects kernels needing more storage buffers than the device allows', () => {
    const k = kernel('k_wide', [f32(2), f32(2), f32(2), f32(2)], (kb, xs) => xs.slice(1).reduce((acc, x) => kb.add('add', [acc, x], {}), xs[0]!));
    expect(() => generateKernel(k, COMPAT_DEFAULT_LIMITS)).toThrow(/needs 5 storage buffers .* allows 4/);
    expect(generateKernel(k, CORE_DEFAULT_LIMITS).bindings.all.length).toBe(5);
  });

  it('rejects buffers above maxStorageBufferBindingSize', () => {
    const tiny: DeviceLimits = { ...CORE_DEFAULT_LIMITS, maxStorageBufferBindingSize: 64 };
    expect(() =>
      generateKernel(
        kernel('k_big', [f32(100)], (kb, [x]) => kb.add('neg', [x!], {})),
        tiny,
      ),
    ).toThrow(/%x0 needs 400 bytes/);
  });

  it('respects small workgroup limits in every template', () => {
    const small: DeviceLimits = { ...COMPAT_DEFAULT_LIMITS, maxStorageBuffersPerShaderStage: 8, maxComputeInvocationsPerWorkgroup: 64, maxComputeWorkgroupSizeX: 64 };
    for (const k of Object.values(sampleKernels)) expect(generateKernel(k, small).workgroupSize[0]).toBeLessThanOrEqual(64);
  });

  it('narrows reduction and row workgroups until their scratch fits workgroup storage', () => {
    // A row of 2000 picks 256 lanes; with 512 bytes of workgroup storage one 4-byte slot per lane allows 128.
    const k = kernel('k_row_long', [f32(3, 2000)], (kb, [a]) => {
      const m = kb.add('reduce_max', [a!], { axes: [1] });
      return kb.add('sub', [a!, kb.add('broadcast', [m], { dims: [0], shape: [3, 2000] })], {});
    });
    expect(generateKernel(k, CORE_DEFAULT_LIMITS).workgroupSize[0]).toBe(256);
    const tight: DeviceLimits = { ...CORE_DEFAULT_LIMITS, maxComputeWorkgroupStorageSize: 512 };
    const g = generateKernel(k, tight);
    expect(g.workgroupSize[0]).toBe(128);
    expect(g.wgsl).toContain('array<f32, 128>');
    const arg = kernel('k_argmax', [f32(2, 4096)], (kb, [a]) => kb.add('argmax', [a!], { axis: 1 }));
    // argmax keeps a value and an index per lane: 8 bytes, so 64 lanes in 512 bytes.
    expect(generateKernel(arg, tight).workgroupSize[0]).toBe(64);
  });

  it('refuses an epilogue that reindexes an anchor result, naming the op', () => {
    const k = kernel('k_bad', [f32(4, 4), f32(4, 4)], (kb, [a, b]) => kb.add('transpose', [kb.add('matmul', [a!, b!], {})], { perm: [1, 0] }));
    const err = (() => {
      try {
        generateKernel(k, CORE_DEFAULT_LIMITS);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).diagnostics[0]).toMatchObject({ op: 'transpose' });
  });

  it('refuses row kernels that slice a per-row result', () => {
    const k = kernel('k_row_bad', [f32(4, 6)], (kb, [x]) => {
      const s = kb.add('reduce_sum', [x!], { axes: [1] });
      const m = kb.add('reduce_max', [x!], { axes: [1] });
      return kb.add('slice', [kb.add('add', [s, m], {})], { start: [1], limit: [3], stride: [1] });
    });
    expect(() => generateKernel(k, CORE_DEFAULT_LIMITS)).toThrow(/slice cannot consume/);
  });

  it('rejects kernels classifyKernel rejects', () => {
    const k = kernel('k_two', [f32(4, 4)], (kb, [x]) => kb.add('matmul', [kb.add('matmul', [x!, x!], {}), x!], {}));
    expect(() => generateKernel(k, CORE_DEFAULT_LIMITS)).toThrow(KilnError);
  });
});
