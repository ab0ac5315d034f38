// The ONNX conformance runner (`pnpm test:onnx`): every model of the ONNX test data (Debian's
// libonnx-testdata) on the CPU interpreter and on WebGPU (one device for all), compared at rtol
// 1e-3 / atol 1e-7. Writes out/onnx-conformance.{md,json}, checks tests/onnx/expected-passes.json
// (a listed pass that no longer passes fails the run) and ends with one line per suite and backend.
// Usage: pnpm test:onnx [--suite node,simple] [--backend cpu,webgpu] [--filter substr] [--limit N]
//        [--update] (rewrite the expected-pass list) [--report file.json] (vitest-shaped counts for .ci/run)
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCpuBackend, createWebGpuBackend } from '@kiln/runtime';
import { CPU_PIPELINE, GPU_PIPELINE, loadCase, runCase, type CaseResult, type LoadedCase, type RunTarget } from './onnx-cases.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_ROOT = process.env['KILN_ONNX_DATA'] ?? '/usr/share/libonnx-testdata/data';
export const SUITES = ['node', 'simple', 'pytorch-converted', 'pytorch-operator'] as const;
export const BACKENDS = ['cpu', 'webgpu'] as const;
type Backend = (typeof BACKENDS)[number];
const EXPECTED = join(ROOT, 'tests', 'onnx', 'expected-passes.json');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const list = <T extends string>(v: string | undefined, all: readonly T[]): T[] => (v === undefined ? [...all] : all.filter((x) => v.split(',').includes(x)));

interface Row {
  suite: string;
  name: string;
  ops: string[];
  results: Partial<Record<Backend, CaseResult>>;
}

type Expected = Record<string, Record<Backend, string[]>>;

async function main(): Promise<void> {
  if (!existsSync(DATA_ROOT)) {
    console.log(`onnx: no test data at ${DATA_ROOT} (apt-get install libonnx-testdata)`);
    process.exit(1);
  }
  const suites = list(arg('suite'), SUITES);
  const backends = list(arg('backend'), BACKENDS);
  const filter = arg('filter');
  const limit = Number(arg('limit') ?? Infinity);
  const targets: Partial<Record<Backend, RunTarget>> = {};
  if (backends.includes('cpu')) targets.cpu = { backend: createCpuBackend(), pipeline: CPU_PIPELINE };
  if (backends.includes('webgpu')) targets.webgpu = { backend: createWebGpuBackend(), pipeline: GPU_PIPELINE };
  const rows: Row[] = [];
  const t0 = performance.now();
  for (const suite of suites) {
    const dirs = readdirSync(join(DATA_ROOT, suite))
      .filter((d) => filter === undefined || d.includes(filter))
      .sort()
      .slice(0, limit);
    for (const name of dirs) {
      const row: Row = { suite, name, ops: [], results: {} };
      let loaded: LoadedCase | undefined;
      try {
        loaded = loadCase(join(DATA_ROOT, suite, name), name);
        row.ops = loaded.ops;
      } catch (e) {
        const reason = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
        for (const b of backends) row.results[b] = { outcome: 'fail', reason: `load: ${reason}` };
      }
      if (loaded !== undefined)
        for (const b of backends) {
          const t = targets[b];
          if (t !== undefined) row.results[b] = await runCase(loaded, t);
        }
      rows.push(row);
    }
  }
  const seconds = (performance.now() - t0) / 1000;

  const expected: Expected = existsSync(EXPECTED) ? (JSON.parse(readFileSync(EXPECTED, 'utf8')) as Expected) : {};
  const regressions: string[] = [];
  let checked = 0;
  for (const suite of suites)
    for (const b of backends) {
      const want = expected[suite]?.[b] ?? [];
      for (const name of want) {
        const r = rows.find((x) => x.suite === suite && x.name === name)?.results[b];
        if (r === undefined) continue; // filtered out of this run
        checked++;
        if (r.outcome !== 'pass') regressions.push(`${suite}/${name} on ${b}: ${r.outcome}: ${r.reason}`);
      }
    }
  if (process.argv.includes('--update')) {
    const next: Expected = { ...expected };
    for (const suite of suites) {
      const cur = next[suite] ?? { cpu: [], webgpu: [] };
      for (const b of backends) cur[b] = rows.filter((r) => r.suite === suite && r.results[b]?.outcome === 'pass').map((r) => r.name);
      next[suite] = cur;
    }
    writeFileSync(EXPECTED, `${JSON.stringify(next, null, 1)}\n`);
    console.log(`onnx: wrote ${EXPECTED}`);
  }
  writeOutputs(rows, suites, backends, seconds);
  for (const r of regressions) console.log(`onnx: REGRESSION ${r}`);
  const report = arg('report');
  if (report !== undefined)
    writeFileSync(
      report,
      JSON.stringify({
        numPassedTests: checked - regressions.length,
        numFailedTests: regressions.length,
        numPendingTests: 0,
        numTodoTests: 0,
        success: regressions.length === 0,
        testResults: [],
      }),
    );
  console.log(`onnx: ${rows.length} models in ${seconds.toFixed(1)} s; ${checked - regressions.length} of ${checked} expected passes held`);
  for (const suite of suites)
    for (const b of backends) {
      const rs = rows.filter((r) => r.suite === suite).map((r) => r.results[b]?.outcome);
      const n = (o: string): number => rs.filter((x) => x === o).length;
      console.log(`onnx ${suite} ${b}: ${n('pass')} passed, ${n('fail')} failed, ${n('unsupported')} unsupported of ${rs.length}`);
    }
  process.exitCode = regressions.length > 0 ? 1 : 0;
}

function writeOutputs(rows: Row[], suites: readonly string[], backends: readonly Backend[], seconds: number): void {
  const outDir = join(ROOT, 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'onnx-conformance.json'), JSON.stringify({ seconds, rows }, null, 1));
  const md: string[] = ['# ONNX conformance', '', `Test data: ${DATA_ROOT}; tolerances rtol 1e-3, atol 1e-7; ${rows.length} models in ${seconds.toFixed(1)} s.`, ''];
  md.push('| suite | backend | passed | failed | unsupported | of |', '| --- | --- | --- | --- | --- | --- |');
  for (const s of suites)
    for (const b of backends) {
      const rs = rows.filter((r) => r.suite === s).map((r) => r.results[b]?.outcome);
      md.push(`| ${s} | ${b} | ${rs.filter((x) => x === 'pass').length} | ${rs.filter((x) => x === 'fail').length} | ${rs.filter((x) => x === 'unsupported').length} | ${rs.length} |`);
    }
  // Per op: how many models using it pass/fail/are unsupported, with the first reason seen.
  md.push(
    '',
    '## Per op (models containing the op)',
    '',
    `| op | ${backends.map((b) => `${b} pass/fail/unsup`).join(' | ')} | first reason |`,
    `| --- | ${backends.map(() => '---').join(' | ')} | --- |`,
  );
  const ops = [...new Set(rows.flatMap((r) => r.ops))].sort();
  for (const op of ops) {
    const rs = rows.filter((r) => r.ops.includes(op));
    const cells = backends.map((b) => ['pass', 'fail', 'unsupported'].map((o) => rs.filter((r) => r.results[b]?.outcome === o).length).join('/'));
    const reason = rs.flatMap((r) => backends.map((b) => r.results[b]?.reason ?? '')).find((x) => x !== '') ?? '';
    md.push(`| ${op} | ${cells.join(' | ')} | ${reason.replace(/\|/g, '\\|').slice(0, 160)} |`);
  }
  md.push('', '## Per model', '', `| suite | model | ${backends.join(' | ')} | reason |`, `| --- | --- | ${backends.map(() => '---').join(' | ')} | --- |`);
  for (const r of rows) {
    const reason = backends.map((b) => r.results[b]?.reason ?? '').find((x) => x !== '') ?? '';
    md.push(`| ${r.suite} | ${r.name} | ${backends.map((b) => r.results[b]?.outcome ?? '-').join(' | ')} | ${reason.replace(/\|/g, '\\|').slice(0, 200)} |`);
  }
  writeFileSync(join(outDir, 'onnx-conformance.md'), `${md.join('\n')}\n`);
}

await main();
