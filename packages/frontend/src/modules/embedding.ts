// Modules: Embedding — a [numEmbeddings, embeddingDim] lookup table (normal(1) init, as
// k.nn.embedding). The lookup is a gather, so k.jit checks id ranges on the host before running.

import { normal, type Initializer } from '../init.js';
import { gather } from '../layout.js';
import type { Tensor } from '../tensor.js';
import { Parameter } from '../variable.js';
import { requireSize } from './checks.js';
import { Module } from './module.js';

export interface EmbeddingModuleOptions {
  /** Table initializer (default normal(1), as the functional form and PyTorch). */
  readonly init?: Initializer;
}

/** Integer ids [...] (i32 or u32, each in [0, numEmbeddings)) → rows of the table [..., embeddingDim]. */
export class Embedding extends Module {
  /** [numEmbeddings, embeddingDim] */
  readonly weight: Parameter;

  constructor(
    /** Vocabulary size: ids index rows 0..numEmbeddings-1. */
    readonly numEmbeddings: number,
    /** Width of each row (the output's last dim). */
    readonly embeddingDim: number,
    opts: EmbeddingModuleOptions = {},
  ) {
    super();
    requireSize('Embedding', 'numEmbeddings', numEmbeddings);
    requireSize('Embedding', 'embeddingDim', embeddingDim);
    this.weight = new Parameter([numEmbeddings, embeddingDim], opts.init ?? normal(1), { label: 'weight' });
  }

  forward(ids: Tensor): Tensor {
    if (ids.dtype !== 'i32' && ids.dtype !== 'u32') throw ids.trace.error('Embedding', `Embedding expects integer ids (i32 or u32), got ${ids.dtype}`, [ids]);
    return ids.trace.atCaller(() => gather(this.weight, ids, 0));
  }
}
