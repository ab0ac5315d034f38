// k.nn.Module sharing: a module called twice has one set of parameters, and its gradient is the
// sum of both uses (checked against central finite differences in f64 on the CPU interpreter).

import { describe, expect, it } from 'vitest';
import * as k from '../../src/index.js';

class Twice extends k.nn.Module {
  lin = new k.nn.Linear(3, 3);
  forward(x: k.Tensor): k.Tensor {
    return this.lin.forward(this.lin.forward(x).tanh());
  }
}

describe('modules share parameters', () => {
  it('lists one set of parameters for a module used twice', () => {
    const m = new Twice();
    expect(m.namedParameters().map((p) => [p.name, p.shape])).toEqual([
      ['lin.weight', [3, 3]],
      ['lin.bias', [3]],
    ]);
    const traced = k.trace(({ x }) => m.forward(x).sum(), { x: k.f32([2, 3]) });
    expect(traced.params.map((p) => p.name)).toEqual(['lin.weight', 'lin.bias']);
  });

  it('gradient of a twice-used weight equals finite differences (the sum of both uses)', async () => {
    k.manualSeed(3);
    const m = new Twice();
    const x = k.tensor([
      [0.3, -0.7, 1.1],
      [0.5, 0.2, -0.4],
    ]);
    const lossOf = (t: k.Tensor): k.Tensor => m.forward(t).square().sum();
    const withGrad = k.jit(
      ({ x }: { x: k.Tensor }) => {
        const loss = lossOf(x);
        const [gw] = k.gradients(loss, [m.lin.weight]);
        return { loss, gw: gw! };
      },
      { backend: 'cpu', precision: 'f64' },
    );
    const lossOnly = k.jit(({ x }: { x: k.Tensor }) => ({ loss: lossOf(x) }), { backend: 'cpu', precision: 'f64' });
    const { gw } = await withGrad({ x });
    const w0 = await m.lin.weight.read();
    const eps = 1e-5;
    const fd: number[] = [];
    for (let i = 0; i < w0.size; i++) {
      const plus = w0.data.slice();
      plus[i]! += eps;
      await m.lin.weight.write(plus);
      const lp = (await lossOnly({ x })).loss.item();
      const minus = w0.data.slice();
      minus[i]! -= eps;
      await m.lin.weight.write(minus);
      const lm = (await lossOnly({ x })).loss.item();
      fd.push((lp - lm) / (2 * eps));
    }
    await m.lin.weight.write(w0);
    for (let i = 0; i < fd.length; i++) expect(gw.data[i]!).toBeCloseTo(fd[i]!, 6);
    // One use alone gives a different gradient: the test would catch a second, untied weight.
    const once = k.jit(
      ({ x }: { x: k.Tensor }) => {
        const loss = m.lin.forward(x).square().sum();
        return { g: k.gradients(loss, [m.lin.weight])[0]! };
      },
      { backend: 'cpu', precision: 'f64' },
    );
    const g1 = (await once({ x })).g;
    expect(Array.from(g1.data)).not.toEqual(Array.from(gw.data));
  });

  it('an anonymous functional layer reached twice from one line is an error pointing to the module form', () => {
    const helper = (t: k.Tensor): k.Tensor => k.nn.linear(t, 4, 4);
    expect(() => k.trace(({ x }) => helper(helper(x)), { x: k.f32([2, 4]) })).toThrowError(
      /k\.nn\.linear: called again from the same line in one trace.*new k\.nn\.Linear.*sharing\.test\.ts:\d+/s,
    );
    // Named layers are distinct on purpose and stay allowed.
    expect(() => k.trace(({ x }) => [0, 1].reduce((h, i) => k.nn.linear(h, 4, 4, { name: `fc${i}` }), x), { x: k.f32([2, 4]) })).not.toThrow();
  });

  it('arrays and Sequential name children by index', () => {
    class Stack extends k.nn.Module {
      blocks = [new k.nn.Linear(2, 2), new k.nn.Linear(2, 2)];
      head = new k.nn.Sequential(new k.nn.Linear(2, 3), new k.nn.Lambda((t) => t.relu()), new k.nn.Linear(3, 1));
      forward(x: k.Tensor): k.Tensor {
        return this.head.forward(this.blocks.reduce((h, b) => b.forward(h), x));
      }
    }
    expect(new Stack().namedParameters().map((p) => p.name)).toEqual([
      'blocks.0.weight',
      'blocks.0.bias',
      'blocks.1.weight',
      'blocks.1.bias',
      'head.0.weight',
      'head.0.bias',
      'head.2.weight',
      'head.2.bias',
    ]);
  });

  it('names do not depend on the order the code uses the layers in', () => {
    class A extends k.nn.Module {
      enc = new k.nn.Linear(2, 2);
      dec = new k.nn.Linear(2, 2);
      forward(x: k.Tensor): k.Tensor {
        return this.dec.forward(this.enc.forward(x));
      }
    }
    class B extends A {
      override forward(x: k.Tensor): k.Tensor {
        return this.enc.forward(this.dec.forward(x));
      }
    }
    const names = (m: k.nn.Module): string[] =>
      k
        .trace(({ x }) => (m.forward as (t: k.Tensor) => k.Tensor)(x), { x: k.f32([1, 2]) })
        .params.map((p) => p.name)
        .sort();
    expect(names(new A())).toEqual(names(new B()));
    expect(names(new A())).toEqual(['dec.bias', 'dec.weight', 'enc.bias', 'enc.weight']);
  });

  it('two separate models in one trace get distinct names', () => {
    class G extends k.nn.Module {
      fc = new k.nn.Linear(2, 2);
      forward(x: k.Tensor): k.Tensor {
        return this.fc.forward(x);
      }
    }
    class D extends G {}
    const g = new G();
    const d = new D();
    const t = k.trace(({ x }) => d.forward(g.forward(x)), { x: k.f32([1, 2]) });
    expect(t.params.map((p) => p.name)).toEqual(['fc.weight', 'fc.bias', 'd.fc.weight', 'd.fc.bias']);
  });

  it('a module outside a trace says so', () => {
    const m = new Twice();
    expect(() => m.forward(undefined as never)).toThrowError(/Twice\.forward must be called inside a function given to k\.jit/);
  });

  it('a parameter hidden from the fields (a #private field) is an error, not a silently unsaved weight', () => {
    class Hidden extends k.nn.Module {
      #w = k.nn.parameter([2, 2], k.init.ones());
      forward(x: k.Tensor): k.Tensor {
        return x.matmul(this.#w);
      }
    }
    expect(() => k.trace(({ x }) => new Hidden().forward(x), { x: k.f32([1, 2]) })).toThrowError(
      /Parameter\(param: f32\[2,2\]\) is used inside Hidden\.forward but is not reachable from the module's fields/,
    );
  });

  it("a module held outside its caller's fields is still named, under its own label", () => {
    const shared = new k.nn.Linear(2, 2);
    class Uses extends k.nn.Module {
      fc = new k.nn.Linear(2, 2);
      forward(x: k.Tensor): k.Tensor {
        return shared.forward(this.fc.forward(x));
      }
    }
    const t = k.trace(({ x }) => new Uses().forward(x), { x: k.f32([1, 2]) });
    expect(t.params.map((p) => p.name)).toEqual(['fc.weight', 'fc.bias', 'linear.weight', 'linear.bias']);
  });
});
