// Recurrent modules: parameter names and shapes (PyTorch gate layouts), cells and sequence layers
// against the k.layers functional forms with equal (random) weights, initial states, reverse,
// sequence output shapes, and input/state checks.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { expectAllClose, interpretFunctional, parameterShapes, randTensor, runFunctional, runModule, weight } from './helpers.js';

const B = 2;
const T = 4;
const F = 3;
const H = 5;

type Rec = Record<string, k.Tensor>;

/** Random weights under the functional names `<scope>.wx/wh/b(/bh)` and the module names. */
function randomWeights(scope: string, gates: number, withBh: boolean, seed: number): { functional: Record<string, k.HostTensor>; module: Record<string, k.HostTensor> } {
  const wx = randTensor([F, gates * H], seed);
  const wh = randTensor([H, gates * H], seed + 1);
  const b = randTensor([gates * H], seed + 2);
  const bh = randTensor([gates * H], seed + 3);
  return {
    functional: { [`${scope}.wx`]: wx, [`${scope}.wh`]: wh, [`${scope}.b`]: b, ...(withBh ? { [`${scope}.bh`]: bh } : {}) },
    module: { weightIh: wx, weightHh: wh, bias: b, ...(withBh ? { biasHh: bh } : {}) },
  };
}

async function runRecord(fn: (inputs: Rec) => Rec, inputs: Record<string, k.HostTensor>): Promise<Record<string, k.HostTensor>> {
  const f = k.jit(fn, { backend: 'cpu' });
  const out: Readonly<Record<string, k.HostTensor | undefined>> = await f(inputs);
  f.dispose();
  return Object.fromEntries(Object.entries(out).flatMap(([n, t]) => (t === undefined ? [] : [[n, t]])));
}

function expectRecordsClose(a: Record<string, k.HostTensor>, b: Record<string, k.HostTensor>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const [n, t] of Object.entries(b)) expectAllClose(a[n]!, t, 1e-5);
}

const x = randTensor([B, T, F], 11);
const h0 = randTensor([B, H], 12);
const c0 = randTensor([B, H], 13);

describe('parameter names and shapes', () => {
  it('cells and sequence layers hold weightIh [in, gates·H], weightHh [H, gates·H], bias (and biasHh for GRU)', () => {
    const expected = (gates: number, bh: boolean): [string, number[]][] => [
      ['weightIh', [F, gates * H]],
      ['weightHh', [H, gates * H]],
      ['bias', [gates * H]],
      ...(bh ? ([['biasHh', [gates * H]]] as [string, number[]][]) : []),
    ];
    expect(parameterShapes(new k.nn.RNNCell(F, H))).toEqual(expected(1, false));
    expect(parameterShapes(new k.nn.RNN(F, H))).toEqual(expected(1, false));
    expect(parameterShapes(new k.nn.LSTMCell(F, H))).toEqual(expected(4, false));
    expect(parameterShapes(new k.nn.LSTM(F, H))).toEqual(expected(4, false));
    expect(parameterShapes(new k.nn.GRUCell(F, H))).toEqual(expected(3, true));
    expect(parameterShapes(new k.nn.GRU(F, H))).toEqual(expected(3, true));
  });

  it('initial values: LSTM forget block of bias at forgetBias, the rest zero; the same Glorot weights as the functional cell', async () => {
    const lstm = new k.nn.LSTM(F, H, { forgetBias: 2 });
    const bias = Array.from((await lstm.stateDict())['bias']!.data);
    expect(bias).toEqual(Array.from({ length: 4 * H }, (_, j) => (j >= H && j < 2 * H ? 2 : 0)));
    const inits = (m: k.nn.Module): string[] => m.namedParameters().map((p) => JSON.stringify(p.parameter.init));
    const traced = k.trace(({ x }) => k.layers.lstm(x, H, { forgetBias: 2 }).outputs, { x: k.f32([B, T, F]) });
    expect(inits(lstm)).toEqual(traced.params.map((p) => JSON.stringify(p.init)));
    const gru = k.trace(({ x }) => k.layers.gru(x, H).outputs, { x: k.f32([B, T, F]) });
    expect(inits(new k.nn.GRU(F, H))).toEqual(gru.params.map((p) => JSON.stringify(p.init)));
  });
});

describe('sequence layers equal k.layers with the same weights', () => {
  it('LSTM: outputs [B, T, H] and final {h, c}, from zeros and from a given state', async () => {
    const lstm = new k.nn.LSTM(F, H);
    // The functional layer's own initial weights, through k.jit …
    const fn = await runFunctional(({ x }: { x: k.Tensor }) => k.layers.lstm(x, H).outputs, { x });
    await lstm.loadStateDict({ weightIh: weight(fn.weights, 'lstm0.wx'), weightHh: weight(fn.weights, 'lstm0.wh'), bias: weight(fn.weights, 'lstm0.b') });
    const outputs = await runModule(({ x }: { x: k.Tensor }) => lstm.forward(x).outputs, { x });
    expect(outputs.shape).toEqual([B, T, H]);
    expectAllClose(outputs, fn.out);
    // … and random weights with an initial state, on the interpreter.
    const w = randomWeights('lstm0', 4, false, 20);
    await lstm.loadStateDict(w.module);
    const mod = await runRecord(
      ({ x, h, c }) => {
        const r = lstm.forward(x!, { h: h!, c: c! });
        return { outputs: r.outputs, h: r.state.h, c: r.state.c };
      },
      { x, h: h0, c: c0 },
    );
    expect(mod['h']!.shape).toEqual([B, H]);
    const ref = interpretFunctional(
      ({ x, h, c }) => {
        const r = k.layers.lstm(x!, H, { initialState: { h: h!, c: c! } });
        return { outputs: r.outputs, h: r.state.h, c: r.state.c };
      },
      { x, h: h0, c: c0 },
      w.functional,
    );
    expectRecordsClose(mod, ref);
  });

  it('GRU (random biases, both of them) and reversed', async () => {
    for (const reverse of [false, true]) {
      const gru = new k.nn.GRU(F, H, { reverse });
      const w = randomWeights('gru0', 3, true, 30);
      await gru.loadStateDict(w.module);
      const mod = await runRecord(
        ({ x, h }) => {
          const r = gru.forward(x!, h);
          return { outputs: r.outputs, h: r.state };
        },
        { x, h: h0 },
      );
      expect(mod['outputs']!.shape).toEqual([B, T, H]);
      const ref = interpretFunctional(
        ({ x, h }) => {
          const r = k.layers.gru(x!, H, { initialState: h!, reverse });
          return { outputs: r.outputs, h: r.state };
        },
        { x, h: h0 },
        w.functional,
      );
      expectRecordsClose(mod, ref);
    }
  });

  it('RNN with tanh and relu', async () => {
    for (const activation of ['tanh', 'relu'] as const) {
      const rnn = new k.nn.RNN(F, H, { activation });
      const w = randomWeights('rnn0', 1, false, 40);
      await rnn.loadStateDict(w.module);
      const mod = await runRecord(
        ({ x }) => {
          const r = rnn.forward(x!);
          return { outputs: r.outputs, h: r.state };
        },
        { x },
      );
      const ref = interpretFunctional(
        ({ x }) => {
          const r = k.layers.rnn(x!, H, { activation });
          return { outputs: r.outputs, h: r.state };
        },
        { x },
        w.functional,
      );
      expectRecordsClose(mod, ref);
    }
  });
});

describe('cells equal one step of the k.layers cells', () => {
  const x1 = randTensor([B, F], 14);

  it('LSTMCell, GRUCell and RNNCell', async () => {
    const lstm = new k.nn.LSTMCell(F, H);
    const wl = randomWeights('lstm0', 4, false, 50);
    await lstm.loadStateDict(wl.module);
    const gru = new k.nn.GRUCell(F, H);
    const wg = randomWeights('gru0', 3, true, 60);
    await gru.loadStateDict(wg.module);
    const rnn = new k.nn.RNNCell(F, H, { activation: 'relu' });
    const wr = randomWeights('rnn0', 1, false, 70);
    await rnn.loadStateDict(wr.module);
    const mod = await runRecord(
      ({ x, h, c }) => {
        const s = lstm.forward(x!, { h: h!, c: c! });
        return { lh: s.h, lc: s.c, g: gru.forward(x!, h), r: rnn.forward(x!, h), zero: gru.forward(x!) };
      },
      { x: x1, h: h0, c: c0 },
    );
    const ref = interpretFunctional(
      ({ x, h, c }) => {
        const lc = k.layers.lstmCell(F, H);
        const gc = k.layers.gruCell(F, H);
        const rc = k.layers.rnnCell(F, H, { activation: 'relu' });
        const s = lc(x!, { h: h!, c: c! });
        return { lh: s.h, lc: s.c, g: gc(x!, h!), r: rc(x!, h!), zero: gc(x!, gc.zeroState(B)) };
      },
      { x: x1, h: h0, c: c0 },
      { ...wl.functional, ...wg.functional, ...wr.functional },
    );
    expectRecordsClose(mod, ref);
  });
});

describe('checks', () => {
  it('rejects inputs and states of the wrong shape, naming the layer', () => {
    const lstm = new k.nn.LSTM(F, H);
    expect(() => k.trace(({ x }) => lstm.forward(x).outputs, { x: k.f32([B, T, F + 1]) })).toThrowError(/LSTM expects input \[B, T, 3\], got \[2,4,4\]/);
    expect(() => k.trace(({ x }) => lstm.forward(x).outputs, { x: k.f32([B, F]) })).toThrowError(/LSTM expects input \[B, T, 3\], got \[2,3\]/);
    expect(() => k.trace(({ x, h }) => lstm.forward(x, { h: h, c: h }).outputs, { x: k.f32([B, T, F]), h: k.f32([B, H + 1]) })).toThrowError(
      /LSTM expects the initial state h \[2, 5\] for input \[2,4,3\], got \[2,6\]/,
    );
    const cell = new k.nn.GRUCell(F, H);
    expect(() => k.trace(({ x }) => cell.forward(x), { x: k.f32([B, T, F]) })).toThrowError(/GRUCell expects input \[B, 3\], got \[2,4,3\]/);
    expect(() => new k.nn.GRU(0, H)).toThrowError(/new k\.nn\.GRU: inputSize must be a positive integer, got 0/);
  });
});
