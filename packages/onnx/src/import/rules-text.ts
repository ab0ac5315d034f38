// Lowering of TfIdfVectorizer over integer tokens: each pooled n-gram is counted by comparing
// shifted slices of the input with its tokens (one slice per token and skip distance), the counts
// are summed over positions and skips, and placed at the n-gram's output index, weighted per mode.

import { elementAt, type ValueId } from '@kiln/ir';
import type { NodeCtx, OpRule } from './node-ctx.js';

interface NGram {
  readonly tokens: readonly number[];
  readonly index: number;
  readonly weight: number;
}

/** The pool's n-grams with their output indexes and weights (ngram_counts[i] starts the (i+1)-grams). */
function pool(c: NodeCtx): NGram[] {
  if (c.hasAttr('pool_strings')) throw c.unsupported('TfIdfVectorizer over strings (Kiln has no string dtype)');
  const tokens = c.ints('pool_int64s') ?? [];
  const starts = c.ints('ngram_counts') ?? [];
  const indexes = c.ints('ngram_indexes') ?? [];
  const weights = c.floats('weights');
  const grams: NGram[] = [];
  starts.forEach((start, level) => {
    const n = level + 1;
    const end = starts[level + 1] ?? tokens.length;
    if (start > end || (end - start) % n !== 0) throw c.error(`ngram_counts [${starts.join(', ')}] do not split pool_int64s (${tokens.length}) into whole ${n}-grams`);
    for (let at = start; at < end; at += n) {
      const g = grams.length;
      const index = indexes[g];
      if (index === undefined || index < 0) throw c.error(`ngram_indexes has no valid entry for n-gram #${g}`);
      grams.push({ tokens: tokens.slice(at, at + n), index, weight: weights?.[g] ?? 1 });
    }
  });
  if (grams.length !== indexes.length) throw c.error(`ngram_indexes has ${indexes.length} entries for ${grams.length} pooled n-grams`);
  if (weights !== undefined && weights.length !== grams.length) throw c.error(`weights has ${weights.length} entries for ${grams.length} pooled n-grams`);
  return grams;
}

export const textRules: Readonly<Record<string, OpRule>> = {
  TfIdfVectorizer: {
    attrs: ['max_gram_length', 'max_skip_count', 'min_gram_length', 'mode', 'ngram_counts', 'ngram_indexes', 'pool_int64s', 'pool_strings', 'weights'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const shape = e.shape(x);
      if (shape.length !== 1 && shape.length !== 2) throw c.error(`input must be [C] or [N, C], got rank ${shape.length}`);
      const mode = c.string('mode', 'TF');
      if (mode !== 'TF' && mode !== 'IDF' && mode !== 'TFIDF') throw c.unsupported(`TfIdfVectorizer mode "${mode}"`);
      const minN = c.intReq('min_gram_length');
      const maxN = c.intReq('max_gram_length');
      const maxSkip = c.intReq('max_skip_count');
      const last = shape.length - 1;
      const length = elementAt(shape, last, 'TfIdfVectorizer input shape (rank 1 or 2 checked above)');
      const batch = shape.slice(0, last);
      const zeros = (): ValueId => e.constant('f32', batch, 0);
      const grams = pool(c);
      // Count of one n-gram: Σ over skips s and positions i of Π_j [x[i + j(s+1)] = token_j].
      const count = (g: NGram): ValueId => {
        const n = g.tokens.length;
        const parts: ValueId[] = [];
        for (let skip = 0; skip <= (n === 1 ? 0 : maxSkip); skip++) {
          const span = (n - 1) * (skip + 1);
          if (span >= length) break;
          const hits = g.tokens.map((t, j) => {
            const from = j * (skip + 1);
            const slice = e.op('slice', [x], {
              start: shape.map((_, d) => (d === last ? from : 0)),
              limit: shape.map((dim, d) => (d === last ? from + length - span : dim)),
              stride: shape.map(() => 1),
            });
            return e.cast(e.withScalar('eq', slice, t), 'f32');
          });
          const all = hits.reduce((acc, h) => e.op('mul', [acc, h], {}));
          parts.push(e.reduce('reduce_sum', all, [last], false));
        }
        const total = parts.length === 0 ? zeros() : parts.reduce((acc, p) => e.op('add', [acc, p], {}));
        if (mode === 'TF') return total;
        const seen = mode === 'IDF' ? e.withScalar('min', total, 1) : total;
        return e.withScalar('mul', seen, g.weight);
      };
      const counted = grams.filter((g) => g.tokens.length >= minN && g.tokens.length <= maxN);
      const size = Math.max(...grams.map((g) => g.index + 1), 0);
      if (size === 0) throw c.unsupported('TfIdfVectorizer with an empty pool (an empty result)');
      const columns = Array.from({ length: size }, (_, index) => {
        const g = counted.find((x) => x.index === index);
        return e.reshape(g === undefined ? zeros() : count(g), [...batch, 1]);
      });
      return [columns.length === 1 ? elementAt(columns, 0, 'TfIdfVectorizer columns') : e.op('concat', columns, { axis: last })];
    },
  },
};
