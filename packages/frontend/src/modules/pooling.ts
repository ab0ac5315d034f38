// Modules: MaxPool2d, AvgPool2d (NHWC windows, the options of k.nn.maxPool2d / avgPool2d) and
// Flatten (keeps the batch dim), the parameter-free shape layers of a CNN for Sequential.

import { avgPool2d, maxPool2d, type PoolOptions } from '../conv.js';
import { reshape } from '../layout.js';
import type { Tensor } from '../tensor.js';
import { expectShape } from './checks.js';
import { Module } from './module.js';
import { elementAt } from '@kiln/ir';

export interface Pool2dOptions {
  /** Step between windows, one for both dims or [sh, sw] (default: the window, so windows do not overlap). */
  readonly stride?: number | readonly [number, number];
  /** 'valid' (default), 'same' or explicit [[top, bottom], [left, right]]; max pooling pads with -inf, average pooling leaves padding out of the count. */
  readonly padding?: PoolOptions['padding'];
}

/** Max over each window of x [N, H, W, C]. */
export class MaxPool2d extends Module {
  constructor(
    /** Window size: one for both dims or [KH, KW]. */
    readonly window: number | readonly [number, number],
    readonly opts: Pool2dOptions = {},
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    expectShape(x, 'MaxPool2d', ['N', 'H', 'W', 'C'], 'NHWC input');
    return maxPool2d(x, this.window, this.opts);
  }
}

/** Mean over each window of x [N, H, W, C]. */
export class AvgPool2d extends Module {
  constructor(
    /** Window size: one for both dims or [KH, KW]. */
    readonly window: number | readonly [number, number],
    readonly opts: Pool2dOptions = {},
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    expectShape(x, 'AvgPool2d', ['N', 'H', 'W', 'C'], 'NHWC input');
    return avgPool2d(x, this.window, this.opts);
  }
}

/** [N, d1, d2, ...] → [N, d1·d2·...] (and [N] → [N, 1]): every dim but the batch in one, row-major (NHWC images flatten as H, W, C). */
export class Flatten extends Module {
  forward(x: Tensor): Tensor {
    if (x.rank < 1) throw x.trace.error('Flatten', 'Flatten expects input [N, ...] with a batch dim, got a scalar', [x]);
    const n = elementAt(x.shape, 0, 'Flatten input shape (rank >= 1 checked above)');
    return x.trace.atCaller(() => reshape(x, [n, x.shape.slice(1).reduce((a, d) => a * d, 1)]));
  }
}
