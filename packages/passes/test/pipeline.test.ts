// The pass manager: pipeline parsing and its errors, per-pass timings/stats, IR dumps after
// all/changed/failure, verification after each pass (checked mode, on by default in tests), and
// repros for failing passes.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KilnError, parse, print, type Graph } from '@kiln/ir';
import { describe, expect, it } from 'vitest';
import { PASSES, PassFailure, checkedModeByDefault, parsePipeline, runPipeline, type Pass } from '../src/index.js';

const SRC = `graph @g(%x: f32[3]) -> (out: f32[3]) {
  %one: f32[3] = constant {value=1}
  %a: f32[3] = mul %x, %one
  %dead: f32[3] = exp %x
  %b: f32[3] = neg %a
  return %b
}
`;

/** A pass that returns an ill-typed graph: neg's result claims a different shape. */
const corrupting: Pass = {
  name: 'corrupt',
  description: 'test double',
  run(g: Graph) {
    const nodes = g.nodes.map((n) => (n.op === 'neg' ? { ...n, type: { dtype: n.type.dtype, shape: [7] } } : n));
    return { graph: { ...g, nodes }, changed: true, stats: {} };
  },
};

const throwing: Pass = {
  name: 'boom',
  description: 'test double',
  run() {
    throw new Error('kaboom');
  },
};

describe('parsePipeline', () => {
  it('resolves names in order', () => {
    expect(parsePipeline('dce,cse, fold-constants ,simplify,fuse,plan-memory').map((p) => p.name)).toEqual(['dce', 'cse', 'fold-constants', 'simplify', 'fuse', 'plan-memory']);
  });

  it('names the unknown pass and lists the known ones', () => {
    const err = (() => {
      try {
        parsePipeline('dce,fusion');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(KilnError);
    const msg = (err as Error).message;
    expect(msg).toContain("unknown pass 'fusion'");
    for (const p of PASSES) expect(msg).toContain(p.name);
  });

  it('rejects empty pipelines and empty entries', () => {
    expect(() => parsePipeline('')).toThrow(/empty pass pipeline/);
    expect(() => parsePipeline('dce,,cse')).toThrow(/empty pass name at position 2/);
  });
});

describe('runPipeline', () => {
  it('runs the passes in order and reports timings and stats per pass', () => {
    const r = runPipeline(parse(SRC), 'dce,simplify', { verify: true });
    expect(r.passes.map((p) => p.pass)).toEqual(['dce', 'simplify']);
    expect(r.timings.map((t) => t.pass)).toEqual(['dce', 'simplify']);
    for (const t of r.timings) expect(t.ms).toBeGreaterThanOrEqual(0);
    expect(r.stats[0]?.stats['removedNodes']).toBe(1);
    expect(r.stats[1]?.stats['mul-one']).toBe(1);
    expect(print(r.graph)).toBe('graph @g(%x: f32[3]) -> (out: f32[3]) {\n  %b: f32[3] = neg %x\n  return %b\n}\n');
  });

  it('does not modify its input graph', () => {
    const g = parse(SRC);
    const before = print(g);
    runPipeline(g, 'dce,cse,fold-constants,simplify,fuse,plan-memory');
    expect(print(g)).toBe(before);
  });

  it("dumps after every pass with 'all' and only after changes with 'change'", () => {
    const seen: string[] = [];
    const all = runPipeline(parse(SRC), 'cse,dce,dce', { printIrAfter: 'all', dump: (i, p) => seen.push(`${i}:${p}`) });
    expect(seen).toEqual(['0:cse', '1:dce', '2:dce']);
    expect(all.dumps).toHaveLength(3);
    const changed = runPipeline(parse(SRC), 'cse,dce,dce', { printIrAfter: 'change' });
    // cse finds nothing, the first dce removes %dead, the second finds nothing.
    expect(changed.dumps.map((d) => `${d.index}:${d.pass}`)).toEqual(['1:dce']);
    expect(changed.dumps[0]?.text).not.toContain('%dead');
    expect(runPipeline(parse(SRC), 'dce', {}).dumps).toEqual([]);
  });

  it('catches an ill-typed pass output when verifying and reports a repro of its input', () => {
    const g = parse(SRC);
    let err: unknown;
    try {
      runPipeline(g, [PASSES[0]!, corrupting], { verify: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PassFailure);
    const f = err as PassFailure;
    expect(f).toBeInstanceOf(KilnError);
    expect(f.pass).toBe('corrupt');
    expect(f.index).toBe(1);
    expect(f.pipeline).toBe('dce,corrupt');
    expect(f.message).toContain('pass \'corrupt\' (#2 of "dce,corrupt") output does not verify');
    // The repro is the input of the failing pass (after dce), parseable as IR.
    expect(f.repro).toContain('# pipeline: corrupt');
    expect(f.repro).toContain('# full pipeline: dce,corrupt');
    const repro = parse(f.repro);
    expect(repro.nodes.map((n) => n.op)).toEqual(['constant', 'mul', 'neg']);
    expect(f.message).toContain(f.repro);
  });

  it('without verification an ill-typed output passes through', () => {
    expect(() => runPipeline(parse(SRC), [corrupting], { verify: false })).not.toThrow();
  });

  it('checked mode is the default under KILN_CHECK=1 (set for every test by vitest.config.ts), off without it', () => {
    expect(process.env['KILN_CHECK']).toBe('1');
    expect(checkedModeByDefault()).toBe(true);
    expect(() => runPipeline(parse(SRC), [corrupting])).toThrow(/output does not verify/);
    const saved = process.env['KILN_CHECK'];
    try {
      delete process.env['KILN_CHECK'];
      expect(checkedModeByDefault()).toBe(false);
      expect(() => runPipeline(parse(SRC), [corrupting])).not.toThrow();
      expect(() => runPipeline(parse(SRC), [corrupting], { verify: true })).toThrow(/output does not verify/);
    } finally {
      process.env['KILN_CHECK'] = saved;
    }
  });

  it('turns a throwing pass into a failure with a repro and dumps it in failure mode', () => {
    const dumps: string[] = [];
    let err: unknown;
    try {
      runPipeline(parse(SRC), [PASSES[0]!, throwing], { printIrAfter: 'failure', dump: (_i, p, t) => dumps.push(`${p}\n${t}`) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PassFailure);
    expect((err as Error).message).toContain('threw: kaboom');
    expect(dumps).toHaveLength(1);
    expect(dumps[0]).toContain("# kiln repro: pass 'boom'");
  });

  it('writes the repro into reproDir and says where', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kiln-passes-')), 'repros');
    let err: unknown;
    try {
      runPipeline(parse(SRC), [throwing], { reproDir: dir });
    } catch (e) {
      err = e;
    }
    const f = err as PassFailure;
    expect(f.reproPath).toBeDefined();
    expect(f.reproPath!.startsWith(dir)).toBe(true);
    expect(f.message).toContain(`repro written to ${f.reproPath}`);
    const text = readFileSync(f.reproPath!, 'utf8');
    expect(text).toBe(f.repro);
    expect(print(parse(text))).toBe(print(parse(SRC)));
  });

  it('rejects an input graph that does not verify when verifying', () => {
    const bad = parse('graph @g(%x: f32[3]) -> (out: f32[2]) {\n  %a: f32[2] = neg %x\n  return %a\n}\n');
    expect(() => runPipeline(bad, 'dce', { verify: true })).toThrow(/input graph does not verify/);
  });
});
