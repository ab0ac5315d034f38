// Benchmarks: each workload as the Kiln program a user would write (traced, before the pass
// pipeline); the bench's Kiln library and bench/w2-variants.ts compile the same graphs.

import * as k from '@kiln/frontend';
import { MLP_CLASSES, MLP_IN, type Workload } from './workloads.js';

export function traceWorkload(w: Workload): k.Traced {
  switch (w.id) {
    case 'W1':
      return k.trace(({ a, b }) => ({ c: k.matmul(a, b) }), { a: k.f32([w.n, w.n]), b: k.f32([w.n, w.n]) }, { name: 'w1_matmul' });
    case 'W2':
      return k.trace(({ x }) => ({ y: k.mul(k.tanh(k.add(k.mul(x, 1.5), 0.5)), k.sigmoid(x)) }), { x: k.f32([w.elems]) }, { name: 'w2_chain' });
    case 'W3':
      return k.trace(({ x }) => ({ y: k.softmax(x, -1) }), { x: k.f32([w.rows, w.cols]) }, { name: 'w3_softmax' });
    case 'W4':
      return k.trace(
        ({ x, y }) => {
          const h1 = k.relu(k.nn.linear(x, MLP_IN, w.hidden));
          const h2 = k.relu(k.nn.linear(h1, w.hidden, w.hidden));
          const logits = k.nn.linear(h2, w.hidden, MLP_CLASSES);
          const loss = k.losses.softmaxCrossEntropy(logits, y, { reduction: 'mean' });
          return { loss, updates: k.optim.sgd({ lr: w.lr }).minimize(loss) };
        },
        { x: k.f32([w.batch, MLP_IN]), y: k.i32([w.batch]) },
        { name: 'w4_mlp_step' },
      );
    case 'W5':
      return k.trace(
        ({ x, w: kernel }) => ({ y: k.conv2d(x, kernel, { padding: 'same' }) }),
        { x: k.f32([w.n, w.hw, w.hw, w.cin]), w: k.f32([w.k, w.k, w.cin, w.cout]) },
        { name: 'w5_conv' },
      );
    default: {
      const never: never = w;
      return never;
    }
  }
}
