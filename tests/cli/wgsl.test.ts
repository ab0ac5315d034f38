// `kiln dump` (kernels/*.wgsl, --svg pictures) and `kiln wgsl`, run as a user would (through tsx):
// the WGSL equals what the WebGPU backend generates for the same graph and compiles on Dawn.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Resvg } from '@resvg/resvg-js';
import { parse, type Graph } from '@kiln/ir';
import { CORE_DEFAULT_LIMITS } from '@kiln/codegen-wgsl';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { createWebGpuBackend, type WebGpuDeviceInfo } from '@kiln/runtime';
import { acquireDevice } from '../parity/helpers.js';
import trainModel from './fixtures/train-model.js';
import { fixtures, runKiln } from './run-kiln.js';

const kiln = (...args: string[]): ReturnType<typeof runKiln> => runKiln(args);

/** The kernels dump wrote, in file order (= dispatch order), by file name. */
function kernelFiles(out: string): { name: string; text: string }[] {
  return readdirSync(join(out, 'kernels'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(out, 'kernels', name), 'utf8') }));
}

/** Codegen's own text inside a dumped file: everything from its provenance comment on. */
const codegenPart = (text: string): string => text.slice(text.indexOf('// Kiln kernel @'));

const callees = (g: Graph): string[] => g.nodes.map((n) => (n.op === 'call' ? n.attrs.callee : `(${n.op})`));

// The training step: in-place state updates change bindings (read_write, read from the output),
// so it checks that the dump places buffers as the backend does, not just that codegen runs.
const trainScript = join(fixtures, 'train-model.ts');
const dumpCore = mkdtempSync(join(tmpdir(), 'kiln-wgsl-'));
const core = kiln('dump', trainScript, '--out', dumpCore, '--svg');
const finalGraph = parse(readFileSync(join(dumpCore, '08-plan-memory.kir'), 'utf8'));

describe('kiln dump: kernels/*.wgsl and --svg', () => {
  it('writes one numbered .wgsl per call of the final graph, in dispatch order, and lists them in stats.txt', () => {
    expect(core.stderr).toBe('');
    expect(core.code).toBe(0);
    const files = kernelFiles(dumpCore);
    const calls = callees(finalGraph);
    expect(calls.length).toBeGreaterThan(5);
    expect(files.map((f) => f.name)).toEqual(calls.map((c, i) => `${String(i + 1).padStart(2, '0')}-${c}.wgsl`));
    const stats = readFileSync(join(dumpCore, 'stats.txt'), 'utf8');
    expect(stats).toContain(`# kernels: ${calls.length} in dispatch order; limits: WebGPU core defaults, no device consulted`);
    for (const f of files) {
      expect(stats).toMatch(new RegExp(`^kernels/${f.name.replace(/\./g, '\\.')} +\\S+ +workgroups \\[\\d+,\\d+,\\d+\\] of \\[\\d+,1,1\\]$`, 'm'));
      // The header says where the limits came from; codegen's provenance comment follows unchanged.
      expect(f.text).toMatch(/^\/\/ kiln: dispatch \d+ of \d+ of @train_step from .*train-model\.ts; workgroups/);
      expect(f.text).toContain('// kiln: limits: WebGPU core defaults, no device consulted');
      expect(f.text).toContain(`// Kiln kernel @${f.name.replace(/^\d+-|\.wgsl$/g, '')} (class `);
      expect(f.text).toContain('@compute');
    }
  });

  it('writes a well-formed SVG per pass; the fused ones have one cluster per kernel call, state apart', () => {
    const svgs = readdirSync(dumpCore)
      .filter((f) => f.endsWith('.svg'))
      .sort();
    const kirs = readdirSync(dumpCore)
      .filter((f) => f.endsWith('.kir'))
      .sort();
    expect(svgs).toEqual(kirs.map((f) => f.replace(/\.kir$/, '.svg')));
    for (const f of svgs) {
      const svg = readFileSync(join(dumpCore, f), 'utf8');
      // resvg parses with a strict XML parser: it throws on a document that is not well-formed.
      expect(() => new Resvg(svg)).not.toThrow();
      const clusters = (svg.match(/<g id="clust\d+" class="cluster">/g) ?? []).length;
      const g = parse(readFileSync(join(dumpCore, f.replace(/\.svg$/, '.kir')), 'utf8'));
      expect(clusters, f).toBe(g.nodes.filter((n) => n.op === 'call').length);
    }
    const planned = readFileSync(join(dumpCore, '08-plan-memory.svg'), 'utf8');
    expect((planned.match(/<g id="clust\d+" class="cluster">/g) ?? []).length).toBe(callees(finalGraph).length);
    for (const c of callees(finalGraph)) expect(planned).toContain(`@${c} (`);
    expect(planned).toContain('>{state}<');
    expect(planned).toContain('{state update}');
    expect(planned).toMatch(/>f32\[6,8\]</);
    expect(readFileSync(join(dumpCore, '00-input.svg'), 'utf8')).not.toContain('class="cluster"');
  });

  it('usage errors exit 2 with one line and the usage; a bad pipeline exits 1', () => {
    const noOut = kiln('dump', trainScript);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr.split('\n')[0]).toBe('kiln dump: needs a model script or IR file and --out <dir>');
    expect(noOut.stderr).toContain('usage: kiln dump');
    const badLimits = kiln('dump', trainScript, '--out', dumpCore, '--limits', 'big');
    expect(badLimits.code).toBe(2);
    expect(badLimits.stderr.split('\n')[0]).toBe("kiln dump: --limits must be one of core, compat, device, got 'big'");
    const badPass = kiln('wgsl', trainScript, '--pipeline', 'dce,frobnicate');
    expect(badPass.code).toBe(1);
    expect(badPass.stderr).toContain('frobnicate');
  });
});

describe('kiln wgsl', () => {
  it('prints every kernel in dispatch order, as dump writes them', () => {
    const r = kiln('wgsl', trainScript);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('@compute');
    const files = kernelFiles(dumpCore);
    expect(r.stdout).toBe(files.map((f) => f.text).join('\n'));
  });

  it('--kernel NAME prints that kernel alone (a complete module); an unknown name exits 1 listing them', () => {
    const [first] = callees(finalGraph);
    const one = kiln('wgsl', trainScript, '--kernel', `@${first!}`);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe(kernelFiles(dumpCore)[0]!.text);
    expect(one.stdout.match(/\/\/ Kiln kernel @/g)).toHaveLength(1);
    const bad = kiln('wgsl', trainScript, '--kernel', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(new RegExp(`no kernel @nope in @train_step; its kernels: @${first!}, `));
  });

  it('--limits compat fuses and generates for 4 storage buffers; no file is a usage error (exit 2)', () => {
    // Under the core defaults this step has kernels of 5 to 8 buffers: compat must split them.
    expect(kernelFiles(dumpCore).some((f) => (f.text.match(/var<storage/g) ?? []).length > 4)).toBe(true);
    const r = kiln('wgsl', trainScript, '--limits', 'compat');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('limits: WebGPU compatibility-mode defaults');
    const modules = r.stdout.split(/(?=\/\/ kiln: dispatch)/);
    expect(modules.length).toBeGreaterThan(kernelFiles(dumpCore).length);
    for (const module of modules) expect((module.match(/var<storage/g) ?? []).length).toBeLessThanOrEqual(4);
    expect(kiln('wgsl').code).toBe(2);
  });
});

const device = await acquireDevice();
afterAll(() => device?.device.destroy());

/** What the WebGPU backend generated for the training step on `info`, in dispatch order. */
async function backendWgsl(info: WebGpuDeviceInfo, codegen: { subgroups?: boolean; softwareAdapter?: boolean } = {}): Promise<string[]> {
  const graph = runPipeline(trainModel.graph, DEFAULT_PIPELINE).graph;
  const exe = await createWebGpuBackend({ device: info, codegen }).compile(graph);
  try {
    return exe.kernels.map((k) => k.wgsl);
  } finally {
    exe.dispose();
  }
}

describe.skipIf(device === undefined)('kiln dump WGSL on a real device (Dawn)', () => {
  it('every dumped file, header included, compiles with no errors', async () => {
    const gpu = device!.device;
    for (const f of kernelFiles(dumpCore)) {
      const module = gpu.createShaderModule({ code: f.text, label: f.name });
      const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
      expect(errors.map((m) => `${f.name}:${m.lineNum}:${m.linePos}: ${m.message}`)).toEqual([]);
    }
  });

  it('equals what the WebGPU backend generates for the same graph on a device granted the core defaults', async () => {
    // The core-defaults dump assumes a GPU with no subgroups, whatever this adapter is and offers.
    const expected = await backendWgsl({ ...device!, limits: CORE_DEFAULT_LIMITS }, { subgroups: false, softwareAdapter: false });
    expect(kernelFiles(dumpCore).map((f) => codegenPart(f.text))).toEqual(expected);
  });

  it("--limits device equals what the backend generates on this machine's device", async () => {
    const out = mkdtempSync(join(tmpdir(), 'kiln-wgsl-dev-'));
    const r = kiln('dump', trainScript, '--out', out, '--limits', 'device');
    expect(r.code).toBe(0);
    const files = kernelFiles(out);
    expect(files[0]!.text).toContain(`// kiln: limits: this machine's device, ${device!.description}`);
    expect(files.map((f) => codegenPart(f.text))).toEqual(await backendWgsl(device!));
  });
});
