// Lowerings of RNN, GRU and LSTM (ONNX default activations; forward, reverse or bidirectional;
// layout 0 or 1; biases, initial states, LSTM peepholes), unrolled over the static sequence
// length: the input projection is one matmul for all steps, then one recurrent matmul per step.

import { elementAt, type ValueId } from '@kiln/ir';
import type { Emitter } from './emit.js';
import type { OpRule } from './node-ctx.js';

type Kind = 'RNN' | 'GRU' | 'LSTM';
const GATES: Readonly<Record<Kind, number>> = { RNN: 1, GRU: 3, LSTM: 4 };
const DEFAULT_ACTS: Readonly<Record<Kind, readonly string[]>> = { RNN: ['Tanh'], GRU: ['Sigmoid', 'Tanh'], LSTM: ['Sigmoid', 'Tanh', 'Tanh'] };

/** Slice [..., k*n : (k+1)*n] of the last axis. */
function part(e: Emitter, v: ValueId, k: number, n: number): ValueId {
  const s = e.shape(v);
  const r = s.length;
  return e.op('slice', [v], { start: s.map((_, i) => (i === r - 1 ? k * n : 0)), limit: s.map((d, i) => (i === r - 1 ? (k + 1) * n : d)), stride: s.map(() => 1) });
}
/** Index i of axis 0, with that axis dropped. */
function row(e: Emitter, v: ValueId, i: number): ValueId {
  const s = e.shape(v);
  return e.reshape(e.op('slice', [v], { start: s.map((_, j) => (j === 0 ? i : 0)), limit: s.map((d, j) => (j === 0 ? i + 1 : d)), stride: s.map(() => 1) }), s.slice(1));
}

function recurrent(kind: Kind): OpRule {
  return {
    attrs: ['activations', 'activation_alpha', 'activation_beta', 'clip', 'direction', 'hidden_size', 'layout', 'linear_before_reset', 'input_forget'],
    lower: (c) => {
      const e = c.e;
      const G = GATES[kind];
      const acts = c.node.attributes.find((a) => a.name === 'activations');
      if (acts !== undefined) {
        const list = acts.value.kind === 'strings' ? acts.value.value : [];
        const dflt = DEFAULT_ACTS[kind];
        if (!list.every((a, i) => a.toLowerCase() === (dflt[i % dflt.length] ?? '').toLowerCase())) throw c.unsupported(`${kind} activations [${list.join(', ')}] (only the defaults)`);
      }
      if (c.hasAttr('clip')) throw c.unsupported(`${kind} clip`);
      if (c.int('input_forget', 0) !== 0) throw c.unsupported('LSTM input_forget=1');
      const layout = c.int('layout', 0);
      const direction = c.string('direction', 'forward');
      const dirs = direction === 'bidirectional' ? 2 : 1;
      let x = c.input(0);
      if (layout === 1) x = e.transpose(x, [1, 0, 2]);
      const [seq = 0, batch = 0, inSize = 0] = e.shape(x);
      const W = c.input(1);
      const R = c.input(2);
      if (e.rank(R) !== 3) throw c.error(`R must be [num_directions, gates x hidden_size, hidden_size], got rank ${e.rank(R)}`);
      const H = c.int('hidden_size', elementAt(e.shape(R), 2, 'recurrence weight shape (rank 3)'));
      const B = c.opt(3);
      if (c.has(4)) {
        const lens = c.staticInts(4, 'sequence_lens');
        if (lens.some((l) => l !== seq)) throw c.unsupported(`${kind} with per-batch sequence_lens shorter than the sequence`);
      }
      const h0 = c.opt(5);
      const c0 = kind === 'LSTM' ? c.opt(6) : undefined;
      const P = kind === 'LSTM' ? c.opt(7) : undefined;
      const lbr = c.int('linear_before_reset', 0) !== 0;
      const ys: ValueId[] = [];
      const hs: ValueId[] = [];
      const cs: ValueId[] = [];
      for (let d = 0; d < dirs; d++) {
        const reverse = direction === 'reverse' || d === 1;
        const wT = e.transpose(row(e, W, d), [1, 0]); // [I, G*H]
        const rT = e.transpose(row(e, R, d), [1, 0]); // [H, G*H]
        let xw = e.reshape(e.op('matmul', [e.reshape(x, [seq * batch, inSize]), wT], {}), [seq, batch, G * H]);
        let rb: ValueId | undefined;
        if (B !== undefined) {
          const b = row(e, B, d); // [2*G*H]
          const wb = e.op('slice', [b], { start: [0], limit: [G * H], stride: [1] });
          rb = e.op('slice', [b], { start: [G * H], limit: [2 * G * H], stride: [1] });
          // GRU with linear_before_reset keeps Rb_h inside the reset product.
          xw = e.binary('add', xw, kind === 'GRU' ? e.op('concat', [part(e, e.op('add', [wb, rb], {}), 0, 2 * H), part(e, wb, 2, H)], { axis: 0 }) : e.op('add', [wb, rb], {}));
        }
        let h = h0 !== undefined ? row(e, h0, d) : e.constant('f32', [batch, H], 0);
        let cell = c0 !== undefined ? row(e, c0, d) : e.constant('f32', [batch, H], 0);
        const p = P !== undefined ? row(e, P, d) : undefined;
        const outs = new Array<ValueId>(seq);
        for (let s = 0; s < seq; s++) {
          const t = reverse ? seq - 1 - s : s;
          const xt = row(e, xw, t); // [batch, G*H]
          const hr = e.op('matmul', [h, rT], {}); // [batch, G*H]
          if (kind === 'RNN') {
            h = e.unary('tanh', e.op('add', [xt, hr], {}));
          } else if (kind === 'GRU') {
            const z = e.unary('logistic', e.op('add', [part(e, xt, 0, H), part(e, hr, 0, H)], {}));
            const r = e.unary('logistic', e.op('add', [part(e, xt, 1, H), part(e, hr, 1, H)], {}));
            const rbh = rb !== undefined ? part(e, rb, 2, H) : undefined;
            let rec: ValueId;
            if (lbr) {
              const hh = rbh !== undefined ? e.binary('add', part(e, hr, 2, H), rbh) : part(e, hr, 2, H);
              rec = e.op('mul', [r, hh], {});
            } else {
              const rh = e.op('matmul', [e.op('mul', [r, h], {}), part(e, rT, 2, H)], {});
              rec = rbh !== undefined ? e.binary('add', rh, rbh) : rh;
            }
            const hTilde = e.unary('tanh', e.op('add', [part(e, xt, 2, H), rec], {}));
            h = e.op('add', [e.op('mul', [e.op('sub', [e.full(z, 1), z], {}), hTilde], {}), e.op('mul', [z, h], {})], {});
          } else {
            const g = e.op('add', [xt, hr], {});
            const peep = (k: number, v: ValueId): ValueId => (p === undefined ? v : e.binary('add', v, e.binary('mul', cell, part(e, p, k, H))));
            const i = e.unary('logistic', peep(0, part(e, g, 0, H)));
            const f = e.unary('logistic', peep(2, part(e, g, 2, H)));
            const cTilde = e.unary('tanh', part(e, g, 3, H));
            cell = e.op('add', [e.op('mul', [f, cell], {}), e.op('mul', [i, cTilde], {})], {});
            const o = e.unary('logistic', peep(1, part(e, g, 1, H)));
            h = e.op('mul', [o, e.unary('tanh', cell)], {});
          }
          outs[t] = e.reshape(h, [1, 1, batch, H]);
        }
        ys.push(seq === 1 ? (outs[0] ?? h) : e.op('concat', outs, { axis: 0 }));
        hs.push(e.reshape(h, [1, batch, H]));
        cs.push(e.reshape(cell, [1, batch, H]));
      }
      let y = dirs === 1 ? (ys[0] ?? ys[0]) : e.op('concat', ys, { axis: 1 });
      if (y === undefined) throw c.error('empty sequence');
      if (layout === 1) y = e.transpose(y, [2, 0, 1, 3]);
      const cat = (vs: ValueId[]): ValueId => {
        const v = dirs === 1 ? vs[0] : e.op('concat', vs, { axis: 0 });
        if (v === undefined) throw c.error('no direction');
        return layout === 1 ? e.transpose(v, [1, 0, 2]) : v;
      };
      return [y, cat(hs), kind === 'LSTM' ? cat(cs) : undefined];
    },
  };
}

export const recurrentRules: Readonly<Record<string, OpRule>> = {
  RNN: recurrent('RNN'),
  GRU: recurrent('GRU'),
  LSTM: recurrent('LSTM'),
};
