// TfIdfVectorizer over integer tokens against counts worked out by hand, in the TF, IDF and TFIDF
// modes, with skips; string pools are rejected by name.

import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, importModel, type ImportedModel } from '../src/index.js';
import { graphModel, runF32 } from './models.js';

const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });
const int = (name: string, i: number) => ({ name, type: 2, i });

function model(attrs: Record<string, unknown>[]): ImportedModel {
  const node = { op_type: 'TfIdfVectorizer', input: ['X'], output: ['Y'], attribute: attrs };
  return importModel(decodeModel(encodeModel(graphModel({ inputs: [['X', [6], 6]], nodes: [node], outputs: ['Y'] }))));
}

// Pool: unigrams 3 and 4 (outputs 0, 1), the bigram (3, 4) (output 2).
const base = [ints('pool_int64s', [3, 4, 3, 4]), ints('ngram_counts', [0, 2]), ints('ngram_indexes', [0, 1, 2]), int('min_gram_length', 1), int('max_gram_length', 2)];
const X = [3, 4, 3, 9, 4, 3]; // 3 three times, 4 twice; (3, 4) adjacent once, one apart once (3, 9, 4)

describe('onnx TfIdfVectorizer', () => {
  it('TF counts; a skip of one also counts (3, _, 4)', () => {
    expect(runF32(model([...base, int('max_skip_count', 0), { name: 'mode', type: 3, s: new TextEncoder().encode('TF') }]), { X })).toEqual({ Y: [3, 2, 1] });
    expect(runF32(model([...base, int('max_skip_count', 1)]), { X })).toEqual({ Y: [3, 2, 2] });
  });

  it('IDF is presence times weight, TFIDF count times weight', () => {
    const weighted = [...base, int('max_skip_count', 0), { name: 'weights', type: 6, floats: [0.5, 2, 10] }];
    const mode = (m: string) => ({ name: 'mode', type: 3, s: new TextEncoder().encode(m) });
    expect(runF32(model([...weighted, mode('IDF')]), { X })).toEqual({ Y: [0.5, 2, 10] });
    expect(runF32(model([...weighted, mode('TFIDF')]), { X })).toEqual({ Y: [1.5, 4, 10] });
  });

  it('min_gram_length 2 leaves the unigram outputs zero; string pools and bad counts are errors', () => {
    const bigrams = base.map((a) => (a.name === 'min_gram_length' ? int('min_gram_length', 2) : a));
    expect(runF32(model([...bigrams, int('max_skip_count', 0)]), { X })).toEqual({ Y: [0, 0, 1] });
    expect(() => model([...base, int('max_skip_count', 0), { name: 'pool_strings', type: 8, strings: [new TextEncoder().encode('a')] }])).toThrow(
      /unsupported: TfIdfVectorizer over strings/,
    );
    expect(() => model([...base.slice(1), ints('pool_int64s', [3, 4, 3]), int('max_skip_count', 0)])).toThrow(/ngram_counts \[0, 2\] do not split pool_int64s \(3\) into whole 2-grams/);
  });
});
