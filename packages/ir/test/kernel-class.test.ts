// classifyKernel: the contract between fusion and codegen. One accepted kernel per class, and the
// bodies that must be rejected (several outputs, nested calls, epilogues after single anchors,
// row kernels that are not last-axis reductions over one shape).

import { describe, expect, it } from 'vitest';
import { GraphBuilder, classifyKernel, isAnchor, type Graph, type KernelClassResult, type ValueId } from '../src/index.js';
import { f32, i32 } from './helpers.js';

function kernel(build: (k: GraphBuilder) => ValueId | ValueId[], name = 'k'): Graph {
  const k = new GraphBuilder(name, 'kernel');
  const out = build(k);
  for (const [i, v] of (Array.isArray(out) ? out : [out]).entries()) k.output(v, `out${i}`);
  return k.build();
}

function ok(r: KernelClassResult) {
  if (!r.ok) throw new Error(`expected a class, got: ${r.reason}`);
  return r.cls;
}

function reason(r: KernelClassResult): string {
  if (r.ok) throw new Error(`expected a rejection, got ${r.cls.kind}`);
  return r.reason;
}

/** softmax over the last axis of [4,8]: max, sub, exp, sum, div. */
function softmax(k: GraphBuilder): ValueId {
  const x = k.input('x', f32(4, 8));
  const m = k.add('reduce_max', [x], { axes: [1] });
  const mb = k.add('broadcast', [m], { dims: [0], shape: [4, 8] });
  const e = k.add('exp', [k.add('sub', [x, mb], {})], {});
  const s = k.add('reduce_sum', [e], { axes: [1] });
  const sb = k.add('broadcast', [s], { dims: [0], shape: [4, 8] });
  return k.add('div', [e, sb], {});
}

describe('classifyKernel accepts', () => {
  it('elementwise: elementwise, layout and source ops only', () => {
    const g = kernel((k) => {
      const x = k.input('x', f32(3));
      const c = k.add('constant', [], { value: 2 }, { type: f32(2, 3) });
      const xb = k.add('broadcast', [x], { dims: [1], shape: [2, 3] });
      const t = k.add('transpose', [k.add('mul', [xb, c], {})], { perm: [1, 0] });
      return k.add('exp', [t], {});
    });
    expect(ok(classifyKernel(g))).toEqual({ kind: 'elementwise' });
  });

  it('elementwise: a kernel that returns its input unchanged', () => {
    expect(ok(classifyKernel(kernel((k) => k.input('x', f32(2))))).kind).toBe('elementwise');
  });

  it('reduction: one reduction with a prologue and an epilogue', () => {
    let anchor = -1;
    const g = kernel((k) => {
      const x = k.input('x', f32(4, 8));
      anchor = k.add('reduce_sum', [k.add('exp', [x], {})], { axes: [0] });
      return k.add('log', [anchor], {});
    });
    const cls = ok(classifyKernel(g));
    expect(cls.kind).toBe('reduction');
    if (cls.kind === 'reduction') expect(cls.anchor.id).toBe(anchor);
  });

  it('reduction: argmax alone', () => {
    const g = kernel((k) => k.add('argmax', [k.input('x', f32(4, 8))], { axis: 1 }));
    const cls = ok(classifyKernel(g));
    expect(cls.kind === 'reduction' && cls.anchor.op).toBe('argmax');
  });

  it('row: softmax has two last-axis reductions over [4,8]', () => {
    const cls = ok(classifyKernel(kernel(softmax)));
    expect(cls.kind).toBe('row');
    if (cls.kind !== 'row') return;
    expect(cls.rowLength).toBe(8);
    expect(cls.reductions.map((n) => n.op)).toEqual(['reduce_max', 'reduce_sum']);
  });

  it('matmul: matmul with a transposed operand and a bias + relu epilogue', () => {
    let anchor = -1;
    const g = kernel((k) => {
      const a = k.input('a', f32(5, 3));
      const b = k.input('b', f32(5, 4));
      const bias = k.input('bias', f32(4));
      anchor = k.add('matmul', [k.add('transpose', [a], { perm: [1, 0] }), b], {});
      const s = k.add('add', [anchor, k.add('broadcast', [bias], { dims: [1], shape: [3, 4] })], {});
      return k.add('max', [s, k.add('constant', [], { value: 0 }, { type: f32(3, 4) })], {});
    });
    const cls = ok(classifyKernel(g));
    expect(cls.kind).toBe('matmul');
    if (cls.kind === 'matmul') expect(cls.anchor.id).toBe(anchor);
  });

  it('conv: conv with a logistic epilogue', () => {
    const g = kernel((k) => {
      const x = k.input('x', f32(1, 5, 5, 2));
      const w = k.input('w', f32(3, 3, 2, 4));
      const c = k.add('conv', [x, w], {
        stride: [1, 1],
        padding: [
          [1, 1],
          [1, 1],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [1, 1],
        groups: 1,
      });
      return k.add('logistic', [c], {});
    });
    const cls = ok(classifyKernel(g));
    expect(cls.kind === 'conv' && cls.anchor.op).toBe('conv');
  });

  it('single: gather, scatter_add, reduce_window and select_and_scatter_add producing the output', () => {
    const pool = { window: [2], stride: [2], padding: [[0, 0]] as [number, number][] };
    const bodies: [string, (k: GraphBuilder) => ValueId][] = [
      ['gather', (k) => k.add('gather', [k.add('neg', [k.input('t', f32(5, 3))], {}), k.input('i', i32(2))], { axis: 0 })],
      ['scatter_add', (k) => k.add('scatter_add', [k.input('t', f32(5)), k.input('i', i32(2)), k.input('u', f32(2))], { axis: 0 })],
      ['reduce_window', (k) => k.add('reduce_window', [k.input('x', f32(6))], { kind: 'max', ...pool })],
      ['select_and_scatter_add', (k) => k.add('select_and_scatter_add', [k.input('s', f32(3)), k.input('x', f32(6))], pool)],
    ];
    for (const [op, body] of bodies) {
      const cls = ok(classifyKernel(kernel(body)));
      expect(cls.kind === 'single' && cls.anchor.op, op).toBe(op);
    }
  });
});

describe('classifyKernel rejects', () => {
  it('kernels with zero or several outputs', () => {
    const two = kernel((k) => {
      const x = k.input('x', f32(2));
      return [k.add('neg', [x], {}), k.add('exp', [x], {})];
    });
    expect(reason(classifyKernel(two))).toBe('kernel @k must have exactly one output, has 2');
    expect(reason(classifyKernel(kernel(() => [])))).toBe('kernel @k must have exactly one output, has 0');
  });

  it('kernels that call kernels', () => {
    const g = kernel((k) => k.add('call', [k.input('x', f32(2))], { callee: 'other' }, { type: f32(2) }));
    expect(reason(classifyKernel(g))).toBe('kernel @k must not call other kernels');
  });

  it('an epilogue after a gather or a pooling anchor', () => {
    const g = kernel((k) => k.add('neg', [k.add('gather', [k.input('t', f32(5, 3)), k.input('i', i32(2))], { axis: 0 })], {}));
    expect(reason(classifyKernel(g))).toBe('kernel @k: gather must produce the kernel output (no epilogue)');
    const p = kernel((k) => k.add('exp', [k.add('reduce_window', [k.input('x', f32(6))], { kind: 'sum', window: [2], stride: [2], padding: [[0, 0]] })], {}));
    expect(reason(classifyKernel(p))).toContain('reduce_window must produce the kernel output');
  });

  it('two anchors that are not both row reductions', () => {
    const g = kernel((k) => {
      const a = k.input('a', f32(3, 4));
      const b = k.input('b', f32(4, 5));
      return k.add('reduce_sum', [k.add('matmul', [a, b], {})], { axes: [1] });
    });
    expect(reason(classifyKernel(g))).toBe('kernel @k: 2 anchors, but matmul is not a row reduction');
    const arg = kernel((k) => {
      const x = k.input('x', f32(3, 4));
      const m = k.add('reduce_max', [x], { axes: [1] });
      const a = k.add('cast', [k.add('argmax', [x], { axis: 1 })], { dtype: 'f32' });
      return k.add('add', [m, a], {});
    });
    expect(reason(classifyKernel(arg))).toBe('kernel @k: 2 anchors, but argmax is not a row reduction');
  });

  it('row reductions over a non-last axis or over several axes', () => {
    const g = kernel((k) => {
      const x = k.input('x', f32(4, 8));
      const m = k.add('reduce_max', [x], { axes: [0] });
      const s = k.add('reduce_sum', [x], { axes: [0] });
      return k.add('add', [m, s], {});
    });
    expect(reason(classifyKernel(g))).toBe('kernel @k: row kernels reduce only the last axis (got reduce_max axes=[0])');
    const h = kernel((k) => {
      const x = k.input('x', f32(4, 8));
      const m = k.add('reduce_max', [x], { axes: [0, 1] });
      const s = k.add('reduce_sum', [x], { axes: [0, 1] });
      return k.add('add', [m, s], {});
    });
    expect(reason(classifyKernel(h))).toContain('row kernels reduce only the last axis (got reduce_max axes=[0,1])');
  });

  it('row reductions over rows of different shapes', () => {
    const g = kernel((k) => {
      const x = k.input('x', f32(4, 8));
      const y = k.input('y', f32(4, 6));
      const m = k.add('reduce_max', [x], { axes: [1] });
      const s = k.add('reduce_sum', [y], { axes: [1] });
      return k.add('add', [m, s], {});
    });
    expect(reason(classifyKernel(g))).toBe('kernel @k: row reductions over different shapes [4,8] and [4,6]');
  });
});

describe('isAnchor', () => {
  it('marks exactly the reduction, matmul, conv, window, gather and scatter ops', () => {
    const g = kernel((k) => {
      const x = k.input('x', f32(4, 4));
      const e = k.add('exp', [x], {});
      const r = k.add('reshape', [e], { shape: [16] });
      const s = k.add('reduce_sum', [r], { axes: [0] });
      const mm = k.add('matmul', [x, x], {});
      return [s, mm];
    });
    expect(g.nodes.map((n) => [n.op, isAnchor(n)])).toEqual([
      ['exp', false],
      ['reshape', false],
      ['reduce_sum', true],
      ['matmul', true],
    ]);
  });
});

describe('classifyKernel epilogue shapes', () => {
  it('a single last-axis reduction broadcast back along the row is a row kernel', () => {
    const cls = ok(
      classifyKernel(
        kernel((k) => {
          const x = k.input('x', f32(4, 8));
          const m = k.add('reduce_max', [x], { axes: [1] });
          return k.add('sub', [x, k.add('broadcast', [m], { dims: [0], shape: [4, 8] })], {});
        }),
      ),
    );
    expect(cls.kind).toBe('row');
    if (cls.kind === 'row') expect(cls.rowLength).toBe(8);
  });

  it('rejects a reduction broadcast back along a non-last axis', () => {
    const r = classifyKernel(
      kernel((k) => {
        const x = k.input('x', f32(4, 8));
        const m = k.add('reduce_max', [x], { axes: [0] });
        return k.add('sub', [x, k.add('broadcast', [m], { dims: [1], shape: [4, 8] })], {});
      }),
    );
    expect(reason(r)).toMatch(/row kernels reduce only the last axis/);
  });

  it('rejects a matmul epilogue that changes the result shape', () => {
    const r = classifyKernel(
      kernel((k) => {
        const a = k.input('a', f32(2, 3));
        const b = k.input('b', f32(3, 4));
        return k.add('transpose', [k.add('matmul', [a, b], {})], { perm: [1, 0] });
      }),
    );
    expect(reason(r)).toMatch(/epilogue of matmul must keep its result shape/);
  });

  it('rejects an anchor that does not reach the output', () => {
    const r = classifyKernel(
      kernel((k) => {
        const a = k.input('a', f32(2, 3));
        k.add('reduce_sum', [a], { axes: [1] });
        return k.add('neg', [a], {});
      }),
    );
    expect(reason(r)).toMatch(/reduce_sum does not contribute to the output/);
  });
});

describe('classified once', () => {
  it('keeps the result per kernel object: a second classification (codegen after fusion) is the same result, not a recomputation', () => {
    const k = kernel(softmax);
    const first = classifyKernel(k);
    expect(classifyKernel(k)).toBe(first);
    // A structurally equal but distinct kernel is classified on its own (same class, new result).
    const twin = kernel(softmax);
    const second = classifyKernel(twin);
    expect(second).not.toBe(first);
    expect(ok(second).kind).toBe(ok(first).kind);
  });
});
