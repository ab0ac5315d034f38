// Untrusted model files: seeded mutations of a valid model (truncation, flipped bytes, huge dims,
// cycles, missing inputs, external data pointing outside the folder) must each end in a clean
// KilnError or a model that runs, never a crash, a hang or a read outside the model's folder.

import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KilnError, Mulberry32, interpret, numel, zeros } from '@kiln/ir';
import { DEFAULT_LIMITS, decodeModel, encodeModel, importModel, type OnnxLimits } from '../src/index.js';
import { nodeExternalReader } from '../src/node.js';
import { graphModel, mlpModel } from './models.js';

const SEED = Number(process.env['KILN_FUZZ_SEED'] ?? 20261203);

function rng(seed: number): () => number {
  const r = new Mulberry32(seed);
  return () => r.float();
}

/** Decode, import and (if small) run on the CPU; returns 'ok' or the KilnError; anything else fails the test. */
function attempt(bytes: Uint8Array, dir?: string, limits?: OnnxLimits): 'ok' | KilnError {
  try {
    const model = decodeModel(bytes, limits);
    const imported = importModel(model, { ...(dir !== undefined ? { external: nodeExternalReader(dir) } : {}), ...(limits !== undefined ? { limits } : {}) });
    const feeds: Record<string, ReturnType<typeof zeros>> = {};
    for (const i of imported.inputs) feeds[i.name] = zeros(i.type);
    for (const p of imported.params) feeds[p.name] = p.value;
    if (imported.graph.nodes.every((n) => numel(n.type.shape) < 1 << 16)) interpret(imported.graph, feeds);
    return 'ok';
  } catch (e) {
    if (e instanceof KilnError) return e;
    throw new Error(`not a KilnError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

describe('onnx fuzz (untrusted files)', () => {
  it(`byte-level mutations give a clean error or a working model (seed ${SEED})`, () => {
    console.log(`onnx fuzz seed ${SEED} (set KILN_FUZZ_SEED to replay)`);
    const base = encodeModel(mlpModel());
    expect(attempt(base)).toBe('ok');
    const rand = rng(SEED);
    let errors = 0;
    for (let i = 0; i < 400; i++) {
      let bytes = Uint8Array.from(base);
      if (i % 2 === 0) bytes = bytes.slice(0, Math.floor(rand() * bytes.length));
      const flips = i % 2 === 0 ? Math.floor(rand() * 2) : 1 + Math.floor(rand() * 6);
      for (let k = 0; k < flips; k++) {
        const at = Math.floor(rand() * bytes.length);
        bytes[at] = (bytes[at] ?? 0) ^ (1 + Math.floor(rand() * 255));
      }
      try {
        if (attempt(bytes) !== 'ok') errors++;
      } catch (e) {
        throw new Error(`seed ${SEED} mutation #${i}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(errors).toBeGreaterThan(100); // most mutations must be caught, not silently run
  });

  it(`mutations of a model with Loop, If and sequences (unrolled at import) give a clean error or a working model (seed ${SEED})`, () => {
    const node = (op_type: string, input: string[], output: string[], attribute: Record<string, unknown>[] = []) => ({ op_type, input, output, attribute });
    const graph = (name: string, nodes: Record<string, unknown>[], input: string[], output: string[]) => ({
      name,
      node: nodes,
      input: input.map((n) => ({ name: n })),
      output: output.map((n) => ({ name: n })),
    });
    const branch = (op: string) => graph(op, [node(op, ['y_in'], ['b'])], [], ['b']);
    const body = graph(
      'body',
      [
        node('Identity', ['c_in'], ['c_out']),
        node('Add', ['y_in', 'X'], ['s']),
        node(
          'If',
          ['c_in'],
          ['y_out'],
          [
            { name: 'then_branch', type: 5, g: branch('Relu') },
            { name: 'else_branch', type: 5, g: branch('Neg') },
          ],
        ),
        node('Identity', ['s'], ['scan']),
      ],
      ['i', 'c_in', 'y_in'],
      ['c_out', 'y_out', 'scan'],
    );
    const base = encodeModel(
      graphModel({
        inputs: [['X', [2]]],
        initializers: [
          { name: 'M', dims: [], data_type: 7, int64_data: [3] },
          { name: 'T', dims: [], data_type: 9, int32_data: [1] },
          { name: 'Z', dims: [], data_type: 7, int64_data: [0] },
        ],
        nodes: [
          node('Loop', ['M', 'T', 'X'], ['y', 'ys'], [{ name: 'body', type: 5, g: body }]),
          node('SequenceConstruct', ['X', 'y'], ['seq']),
          node('SequenceAt', ['seq', 'Z'], ['first']),
          node('ConcatFromSequence', ['seq'], ['Y'], [{ name: 'axis', type: 2, i: 0 }]),
        ],
        outputs: ['Y', 'ys', 'first'],
      }),
    );
    // A small node budget, so a mutated trip count ends quickly in the limit's error.
    const limits = { ...DEFAULT_LIMITS, maxNodes: 2000 };
    expect(attempt(base, undefined, limits)).toBe('ok');
    const rand = rng(SEED + 1);
    let errors = 0;
    for (let i = 0; i < 300; i++) {
      let bytes = Uint8Array.from(base);
      if (i % 3 === 0) bytes = bytes.slice(0, Math.floor(rand() * bytes.length));
      for (let k = 0, flips = 1 + Math.floor(rand() * 4); k < flips; k++) {
        const at = Math.floor(rand() * bytes.length);
        bytes[at] = (bytes[at] ?? 0) ^ (1 + Math.floor(rand() * 255));
      }
      try {
        if (attempt(bytes, undefined, limits) !== 'ok') errors++;
      } catch (e) {
        throw new Error(`seed ${SEED + 1} control-flow mutation #${i}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('huge dims are refused before allocation', () => {
    const r = attempt(encodeModel(mlpModel({ w: { dims: [1_000_000, 1_000_000], raw_data: new Uint8Array(8) } })));
    expect(r).toBeInstanceOf(KilnError);
    expect(String(r)).toMatch(/more than \d+ elements/);
    const neg = attempt(encodeModel(mlpModel({ w: { dims: [4, -3] } })));
    expect(String(neg)).toMatch(/invalid dimension -3/);
  });

  it('cyclic graphs and missing inputs are errors naming the value', () => {
    const cyclic = mlpModel({
      nodes: [
        { op_type: 'Add', input: ['X', 'loop'], output: ['a'] },
        { op_type: 'Relu', input: ['a'], output: ['loop'] },
        { op_type: 'Identity', input: ['loop'], output: ['Y'] },
      ],
    });
    expect(String(attempt(encodeModel(cyclic)))).toMatch(/"loop" is not defined before use/);
    const missing = mlpModel({ nodes: [{ op_type: 'MatMul', input: ['X', 'nowhere'], output: ['Y'] }] });
    expect(String(attempt(encodeModel(missing)))).toMatch(/"nowhere" is not defined before use/);
    expect(String(attempt(encodeModel(mlpModel({ inputs: [] }))))).toMatch(/"X" is not defined/);
  });

  it('external data stays inside the model folder', () => {
    const top = mkdtempSync(join(tmpdir(), 'kiln-onnx-'));
    const dir = join(top, 'model');
    mkdirSync(dir);
    writeFileSync(join(top, 'secret.bin'), new Uint8Array(48));
    writeFileSync(join(dir, 'w.bin'), new Uint8Array(Float32Array.from({ length: 12 }, (_, i) => i).buffer));
    symlinkSync(join(top, 'secret.bin'), join(dir, 'link.bin'));
    const ext = (location: string, extra: Record<string, string> = {}): Uint8Array =>
      encodeModel(
        mlpModel({
          w: { raw_data: undefined, data_location: 1, external_data: [{ key: 'location', value: location }, ...Object.entries(extra).map(([key, value]) => ({ key, value }))] },
        }),
      );
    expect(attempt(ext('w.bin'), dir)).toBe('ok');
    expect(String(attempt(ext('../secret.bin'), dir))).toMatch(/"\.\." is not allowed/);
    expect(String(attempt(ext(join(top, 'secret.bin')), dir))).toMatch(/absolute paths are not allowed/);
    expect(String(attempt(ext('link.bin'), dir))).toMatch(/outside the model folder \(symlink\)/);
    expect(String(attempt(ext('w.bin', { offset: '40' }), dir))).toMatch(/past the end of the file/);
    expect(String(attempt(ext('w.bin'), undefined))).toMatch(/no model folder was given/);
  });
});
