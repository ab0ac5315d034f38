// Tracing: inputs and named outputs, parameter naming (scopes, counters, explicit names,
// duplicates), state updates (k.assign, `updates`, randomKey), misuse errors, and source lines.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KilnError } from '@kiln/ir';
import * as k from '@kiln/frontend';
import { lineOf } from './helpers.js';

const SOURCE = readFileSync(fileURLToPath(import.meta.url), 'utf8');
const FILE = 'trace.test.ts';

function errorOf(fn: () => unknown): KilnError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KilnError) return e;
    throw e;
  }
  throw new Error('expected a KilnError');
}

describe('inputs and outputs', () => {
  it('inputs follow the spec order; a record result names the outputs', () => {
    const t = k.trace(({ a, b }) => ({ sum: a.add(b), diff: a.sub(b) }), { a: k.f32([2]), b: k.f32([2]) }, { name: 'pair' });
    expect(t.graph.name).toBe('pair');
    expect(t.inputs.map((i) => i.name)).toEqual(['a', 'b']);
    expect(t.outputs.map((o) => o.name)).toEqual(['sum', 'diff']);
    expect(t.print()).toContain('%sum: f32[2] = add %a, %b');
  });

  it('a single tensor result is the output "out"', () => {
    const t = k.trace(({ x }) => x.exp(), { x: k.f32([1]) });
    expect(t.graph.outputs).toEqual([{ value: t.graph.nodes[0]!.id, name: 'out', updatesState: false }]);
  });

  it('named() labels intermediate values in the printed IR', () => {
    const t = k.trace(({ x }) => x.mul(2).named('doubled').add(1), { x: k.f32([1]) });
    expect(t.print()).toMatch(/%doubled: f32\[1\] = mul %x, %0/);
  });

  it('rejects bad names and non-tensor results', () => {
    expect(() => k.trace(({ x }) => ({ 'bad name': x }), { x: k.f32([1]) })).toThrowError(/output name "bad name" is not a valid IR name/);
    expect(() => k.trace(() => 3 as unknown as k.Tensor, {})).toThrowError(/must return a Tensor or a record/);
    expect(() => k.trace((inp) => inp['1x'], { '1x': k.f32([1]) })).toThrowError(/input name "1x"/);
  });
});

describe('parameters', () => {
  it('layers count per kind: linear0, linear1; scopes nest', () => {
    const t = k.trace(
      ({ x }) => {
        const h = k.nn.linear(x, 4, 4);
        const y = k.scope('block', () => k.nn.linear(k.nn.linear(h, 4, 4), 4, 4));
        const z = k.scope('block', () => k.nn.linear(y, 4, 2, { bias: false }));
        return k.nn.linear(z, 2, 1);
      },
      { x: k.f32([1, 4]) },
    );
    expect(t.params.map((p) => p.name)).toEqual([
      'linear0.w',
      'linear0.b',
      'block0.linear0.w',
      'block0.linear0.b',
      'block0.linear1.w',
      'block0.linear1.b',
      'block1.linear0.w',
      'linear1.w',
      'linear1.b',
    ]);
    expect(t.graph.inputs.filter((i) => i.state).map((i) => i.name)).toEqual(t.params.map((p) => p.name));
  });

  it('retracing gives the same names (params are matched by name across traces)', () => {
    const model = ({ x }: { readonly x: k.Tensor }): k.Tensor => k.nn.linear(k.nn.linear(x, 3, 3).relu(), 3, 1);
    const a = k.trace(model, { x: k.f32([2, 3]) });
    const b = k.trace(model, { x: k.f32([5, 3]) });
    expect(b.params.map((p) => p.name)).toEqual(a.params.map((p) => p.name));
  });

  it('k.param uses the enclosing scope; duplicates and input clashes are errors naming the first line', () => {
    const t = k.trace(({ x }) => k.scope('enc', () => x.mul(k.param('scale', [3], k.init.ones()))), { x: k.f32([3]) });
    expect(t.params).toMatchObject([{ name: 'enc0.scale', type: { dtype: 'f32', shape: [3] }, init: { kind: 'ones' }, trainable: true }]);
    const err = errorOf(() =>
      k.trace(
        ({ x }) => {
          k.param('w', [1], k.init.zeros()); // MARK-first-w
          return x.add(k.param('w', [1], k.init.zeros()));
        },
        { x: k.f32([1]) },
      ),
    );
    expect(err.message).toContain('duplicate parameter name %w');
    expect(err.message).toContain(`${FILE}:${lineOf(SOURCE, 'MARK-first' + '-w')}:`);
    expect(() => k.trace(({ x }) => x.add(k.param('x', [1], k.init.zeros())), { x: k.f32([1]) })).toThrowError(/clashes with an input/);
    expect(() => k.trace(({ x }) => k.nn.linear(k.nn.linear(x, 1, 1, { name: 'fc' }), 1, 1, { name: 'fc' }), { x: k.f32([1, 1]) })).toThrowError(/duplicate parameter name %fc\.w/);
  });

  it('state is non-trainable; trainableParams lists only parameters', () => {
    let trainable: number[] = [];
    let wId = -1;
    const t = k.trace(
      ({ x }) => {
        const w = k.param('w', [2], k.init.ones());
        const m = k.state('m', [2]);
        expect([k.stateName(w), k.stateName(m)]).toEqual(['w', 'm']);
        expect(() => k.stateName(x)).toThrowError(/is not a state input/);
        wId = w.id;
        trainable = k.trainableParams().map((p) => p.id);
        return x.mul(w).add(m);
      },
      { x: k.f32([2]) },
    );
    expect(t.params.map((p) => [p.name, p.trainable])).toEqual([
      ['w', true],
      ['m', false],
    ]);
    expect(trainable).toEqual([wId]);
  });

  it('k.param outside a trace is an error', () => {
    expect(() => k.param('w', [1], k.init.zeros())).toThrowError(/k\.param must be called inside k\.trace/);
  });
});

describe('state updates', () => {
  it('`updates` in the result and k.assign become updatesState outputs in state order', () => {
    const t = k.trace(
      ({ x }) => {
        const a = k.param('a', [2], k.init.zeros());
        const b = k.param('b', [2], k.init.zeros());
        k.assign(b, b.add(x));
        return { y: a.mul(x), updates: { a: a.add(1) } };
      },
      { x: k.f32([2]) },
    );
    expect(t.updates).toEqual(['a', 'b']);
    expect(t.graph.outputs.map((o) => [o.name, o.updatesState])).toEqual([
      ['y', false],
      ['a', true],
      ['b', true],
    ]);
    expect(t.print()).toMatch(/-> \(y: f32\[2\], %a: f32\[2\], %b: f32\[2\]\)/);
  });

  it('type mismatches, double updates and unknown targets are errors', () => {
    const spec = { x: k.f32([2]) };
    expect(() =>
      k.trace(({ x }) => {
        const a = k.param('a', [2], k.init.zeros());
        k.assign(a, x.sum());
        return x;
      }, spec),
    ).toThrowError(/new value of %a has type f32\[\], the state is f32\[2\]/);
    expect(() =>
      k.trace(({ x }) => {
        const a = k.param('a', [2], k.init.zeros());
        k.assign(a, x);
        return { x, updates: { a: x } };
      }, spec),
    ).toThrowError(/assigned twice/);
    expect(() => k.trace(({ x }) => ({ x, updates: { nope: x } }), spec)).toThrowError(/%nope is not a state input/);
    expect(() =>
      k.trace(({ x }) => {
        k.assign(x, x);
        return x;
      }, spec),
    ).toThrowError(/is not a state input/);
  });

  it('randomKey creates one rng state advanced once per step, distinct keys per call', () => {
    const t = k.trace(({ x }) => ({ a: k.randomUniform(k.randomKey(), [2]).add(x), b: k.randomUniform(k.randomKey(), [2]) }), { x: k.f32([2]) });
    expect(t.params).toMatchObject([{ name: 'rng', type: { dtype: 'u32', shape: [2] }, init: { kind: 'randomKey' }, trainable: false }]);
    expect(t.updates).toEqual(['rng']);
  });
});

describe('misuse', () => {
  it('tensors of a finished trace cannot build ops', () => {
    let leaked: k.Tensor | undefined;
    k.trace(
      ({ x }) => {
        leaked = x;
        return x;
      },
      { x: k.f32([1]) },
    );
    expect(() => leaked!.add(1)).toThrowError(/trace @main has finished/);
  });

  it('mixing tensors from two traces is an error', () => {
    expect(() =>
      k.trace(
        ({ x }) => {
          k.trace(({ y }) => y.add(x), { y: k.f32([1]) }, { name: 'inner' });
          return x;
        },
        { x: k.f32([1]) },
      ),
    ).toThrowError(/belongs to another trace \(@main\) that is still running|not the innermost active trace/);
  });

  it('nested traces build independent graphs', () => {
    let inner: k.Traced | undefined;
    const outer = k.trace(
      ({ x }) => {
        inner = k.trace(({ y }) => y.mul(2), { y: k.f32([3]) }, { name: 'inner' });
        return x.neg();
      },
      { x: k.f32([1]) },
    );
    expect(inner!.graph.nodes.map((n) => n.op)).toEqual(['constant', 'mul']);
    expect(outer.graph.nodes.map((n) => n.op)).toEqual(['neg']);
  });
});

describe('source locations', () => {
  it('a shape error names this file and the exact line of the offending call', () => {
    const err = errorOf(() =>
      k.trace(
        ({ a, b }) => {
          const h = a.exp();
          return h.matmul(b); // MARK-matmul-error
        },
        { a: k.f32([2, 3]), b: k.f32([4, 5]) },
      ),
    );
    expect(err.message).toContain('matmul');
    expect(err.message).toContain('[2,3]');
    expect(err.message).toContain('[4,5]');
    expect(err.message).toContain(`${FILE}:${lineOf(SOURCE, 'MARK-matmul' + '-error')}:`);
    expect(err.diagnostics[0]!.source!.line).toBe(lineOf(SOURCE, 'MARK-matmul' + '-error'));
  });

  it('errors raised inside composites and layers still name the user line', () => {
    const err = errorOf(() =>
      k.trace(
        ({ x, y }) => {
          const h = k.nn.linear(x, 3, 4);
          return k.losses.softmaxCrossEntropy(h, y); // MARK-ce-error
        },
        { x: k.f32([2, 3]), y: k.i32([3]) },
      ),
    );
    expect(err.message).toContain(`${FILE}:${lineOf(SOURCE, 'MARK-ce' + '-error')}:`);
    const bcast = errorOf(() =>
      k.trace(
        ({ x, y }) => {
          return x.add(y); // MARK-bcast-error
        },
        { x: k.f32([2, 3]), y: k.f32([2]) },
      ),
    );
    expect(bcast.message).toMatch(/add: shapes \[2,3\] and \[2\] cannot be broadcast together/);
    expect(bcast.message).toContain(`${FILE}:${lineOf(SOURCE, 'MARK-bcast' + '-error')}:`);
  });

  it('every node of a composite carries the caller line; the IR can print them', () => {
    const t = k.trace(
      ({ x }) => {
        return x.softmax(); // MARK-softmax
      },
      { x: k.f32([2, 3]) },
    );
    const line = lineOf(SOURCE, 'MARK-softmax');
    expect(t.graph.nodes.length).toBeGreaterThan(3);
    for (const n of t.graph.nodes) expect(n.loc).toMatchObject({ line });
    expect(n0file(t)).toContain(FILE);
    expect(t.print({ locations: true })).toContain(`# ${n0file(t)}:${line}:`);
  });

  it('locations can be turned off', () => {
    const t = k.trace(({ x }) => x.exp(), { x: k.f32([1]) }, { locations: false });
    expect(t.graph.nodes[0]!.loc).toBeUndefined();
  });
});

function n0file(t: k.Traced): string {
  return t.graph.nodes[0]!.loc!.file;
}
