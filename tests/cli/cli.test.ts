// The `kiln` command line, run as a user would (through tsx): print, print --grad, check, run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, verify } from '@kiln/ir';
import { fixtures, root, runKiln } from './run-kiln.js';

const kiln = (...args: string[]): ReturnType<typeof runKiln> => runKiln(args);

describe('kiln CLI', () => {
  it('run evaluates a hand-written MLP to the hand-computed numbers', () => {
    const r = kiln('run', join(fixtures, 'mlp.kir'), '--inputs', join(fixtures, 'mlp-inputs.json'));
    expect(r.stderr).toBe('kiln run: backend cpu (default cpu): CPU interpreter\n');
    expect(r.code).toBe(0);
    // row 1: h = relu([1+1, 0+2-1, -1+4+0.5]) = [2,1,3.5]; y = [2+3.5, 1+3.5]
    // row 2: h = relu([-1+0.25, 0.5-1, 1+1+0.5]) = [0,0,2.5]; y = [2.5, 2.5]
    expect(JSON.parse(r.stdout)).toEqual({
      y: [
        [5.5, 4.5],
        [2.5, 2.5],
      ],
    });
  });

  it('check prints file:line:col and exits 1 on a type error', () => {
    const r = kiln('check', join(fixtures, 'bad.kir'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.kir:2:3: error: matmul: contracting dims differ');
    expect(r.stderr).toContain('(value %0)');
  });

  it('check accepts a valid file', () => {
    const r = kiln('check', join(fixtures, 'mlp.kir'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok');
  });

  it('check reports a parse error with line:col', () => {
    const r = kiln('check', join(root, 'tests', 'cli', 'fixtures', 'mlp-inputs.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mlp-inputs\.json:1:1: error: expected 'graph' or 'kernel'/);
  });

  it('run names a missing input', () => {
    const r = kiln('run', join(fixtures, 'mlp.kir'), '--inputs', join(fixtures, 'missing-input.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing-input\.json: error: missing input \(f32\[3,2\]\) \(value %w2\)/);
  });

  it('print shows the traced IR of a model script, which re-parses and verifies', () => {
    const r = kiln('print', join(fixtures, 'mlp-model.ts'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^graph @main\(%x: f32\[2,4\], %y: i32\[2\], %linear0\.w: f32\[4,8\] \{state\}/);
    expect(verify(parse(r.stdout))).toEqual([]);
  });

  it('print --grad adds a backward graph made only of IR ops (no tape)', () => {
    const r = kiln('print', '--grad', join(fixtures, 'mlp-model.ts'));
    expect(r.code).toBe(0);
    const g = parse(r.stdout);
    expect(verify(g)).toEqual([]);
    expect(g.outputs.map((o) => o.name)).toEqual(['loss', 'grad_linear0.w', 'grad_linear0.b', 'grad_linear1.w', 'grad_linear1.b']);
    // Backward adds dW2 = hᵀ·g, dh = g·W2ᵀ and dW1 = xᵀ·dh; no dx, since x is data, not state.
    expect(g.nodes.filter((n) => n.op === 'matmul')).toHaveLength(5);
  });

  it('unknown command prints usage and exits 2 (a usage error)', () => {
    const r = kiln('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage:');
  });
});

describe('kiln CLI: passes', () => {
  it('dump writes the input, one numbered .kir per pass, each verifying, and the kernels (tests/cli/wgsl.test.ts)', async () => {
    const { mkdtempSync, readdirSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const out = mkdtempSync(join(tmpdir(), 'kiln-dump-'));
    const r = kiln('dump', join(fixtures, 'mlp-model.ts'), '--out', out, '--pipeline', 'dce,cse,fuse,plan-memory');
    expect(r.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['00-input.kir', '01-dce.kir', '02-cse.kir', '03-fuse.kir', '04-plan-memory.kir', 'kernels', 'stats.txt']);
    for (const f of files.filter((x) => x.endsWith('.kir'))) expect(verify(parse(readFileSync(join(out, f), 'utf8')))).toEqual([]);
    const planned = parse(readFileSync(join(out, '04-plan-memory.kir'), 'utf8'));
    expect(planned.nodes.every((n) => n.op === 'call')).toBe(true);
    expect(readdirSync(join(out, 'kernels'))).toHaveLength(planned.nodes.length);
    expect(readFileSync(join(out, 'stats.txt'), 'utf8')).toMatch(/plan-memory .* peakBytes=\d+ naiveBytes=\d+ lowerBoundBytes=\d+/);
  });

  it('opt prints the optimized IR and names an unknown pass', () => {
    const ok = kiln('opt', join(fixtures, 'mlp.kir'), '--pipeline', 'fuse');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/kernel @fused_/);
    const bad = kiln('opt', join(fixtures, 'mlp.kir'), '--pipeline', 'dce,frobnicate');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/frobnicate/);
  });

  it('fuzz runs a bounded campaign over the whole pipeline and reports no findings', () => {
    const r = kiln('fuzz', '--seed', '11', '--runs', '40');
    expect(r.stdout).toContain('fuzz: 40 graph(s)');
    expect(r.stdout).toContain('0 finding(s)');
    expect(r.code).toBe(0);
  });
});
