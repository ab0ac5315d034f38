// Example support: MNIST, Iris and Moby-Dick loaders against well-known facts of those datasets.
import { describe, it, expect } from 'vitest';
import { CharVocab, loadIris, loadMnist, loadText } from '../../examples/lib/datasets.js';

describe('loadMnist', () => {
  it('reads the full training set: 60000 images, first label 5, pixels in [0, 1]', () => {
    const train = loadMnist({ split: 'train' });
    expect(train.n).toBe(60000);
    expect(train.images.length).toBe(60000 * 784);
    expect(train.labels.length).toBe(60000);
    expect(train.labels[0]).toBe(5); // well-known: the first MNIST training digit is a 5
    let min = Infinity;
    let max = -Infinity;
    for (const v of train.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // Every label is a digit and all ten occur.
    const counts = new Array<number>(10).fill(0);
    for (const l of train.labels) counts[l]! += 1;
    expect(counts.every((c) => c > 5000)).toBe(true);
  });

  it('reads the test set (first label 7) and honours limit', () => {
    const test = loadMnist({ split: 'test', limit: 100 });
    expect(test.n).toBe(100);
    expect(test.images.length).toBe(78400);
    expect(test.labels[0]).toBe(7); // well-known: the first MNIST test digit is a 7
    expect(loadMnist({ split: 'test' }).n).toBe(10000);
    // Images are pixel / 255: each value times 255 is an integer byte.
    for (let i = 0; i < 784; i++) {
      const byte = test.images[i]! * 255;
      expect(Math.abs(byte - Math.round(byte))).toBeLessThan(1e-4);
    }
  });
});

describe('loadIris', () => {
  it('has 150 rows of 4 features in 3 classes of 50', () => {
    const iris = loadIris();
    expect(iris.n).toBe(150);
    expect(iris.features.length).toBe(600);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const counts = [0, 0, 0];
    for (const l of iris.labels) counts[l]! += 1;
    expect(counts).toEqual([50, 50, 50]);
    // First row of Fisher's data: 5.1, 3.5, 1.4, 0.2, setosa.
    expect(Array.from(iris.features.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect(iris.labels[0]).toBe(0);
  });
});

describe('loadText', () => {
  it('returns Moby-Dick from chapter 1 with a vocabulary that round-trips', () => {
    const { text, vocab } = loadText();
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(text.startsWith('Call me Ishmael.')).toBe(true);
    const sample = text.slice(0, 5000);
    expect(vocab.decode(vocab.encode(sample))).toBe(sample);
    expect(new Set(text).size).toBe(vocab.size);
    expect(vocab.size).toBeLessThan(200);
  });

  it('truncates with maxChars and builds the vocabulary of what remains', () => {
    const { text, vocab } = loadText({ maxChars: 16 });
    expect(text).toBe('Call me Ishmael.');
    expect(vocab.chars).toEqual([' ', '.', 'C', 'I', 'a', 'e', 'h', 'l', 'm', 's']);
  });
});

describe('CharVocab', () => {
  it('sorts by code point, keeps astral characters whole, and rejects unknown input', () => {
    const v = CharVocab.fromText('ba😀a');
    expect(v.chars).toEqual(['a', 'b', '😀']);
    expect(Array.from(v.encode('a😀b'))).toEqual([0, 2, 1]);
    expect(v.decode([2, 0])).toBe('😀a');
    expect(() => v.encode('c')).toThrow(/"c" at 0/);
    expect(() => v.decode([3])).toThrow(/id 3/);
  });
});
