// Modules: parameter-free activations as layers for Sequential — ReLU, LeakyReLU, Tanh, Sigmoid,
// GELU, SiLU, Softplus, Softmax and LogSoftmax, each the k.nn function of the same name.

import { gelu, leakyRelu, logSoftmax, relu, silu, softmax, softplus } from '../activations.js';
import { sigmoid, tanh } from '../elementwise.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** max(x, 0). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** x for x > 0, negativeSlope·x otherwise. */
export class LeakyReLU extends Module {
  constructor(
    /** Slope for negative inputs (default 0.01). */
    readonly negativeSlope = 0.01,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.trace.atCaller(() => tanh(x));
  }
}

/** 1 / (1 + e^-x). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.trace.atCaller(() => sigmoid(x));
  }
}

/** x·Φ(x). */
export class GELU extends Module {
  constructor(
    /** Use the tanh approximation instead of the exact erf form (default false). */
    readonly approximate = false,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
}

/** x·sigmoid(x) (swish). */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}

/** log(1 + e^x), computed without overflow. */
export class Softplus extends Module {
  forward(x: Tensor): Tensor {
    return softplus(x);
  }
}

/** exp(x) / sum(exp(x)) along `axis`. */
export class Softmax extends Module {
  constructor(
    /** The axis that sums to 1 (default -1, the last). */
    readonly axis = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return softmax(x, this.axis);
  }
}

/** x - logsumexp(x) along `axis`. */
export class LogSoftmax extends Module {
  constructor(
    /** The axis normalised over (default -1, the last). */
    readonly axis = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.axis);
  }
}
