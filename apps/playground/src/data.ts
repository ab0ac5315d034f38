// The MNIST subset the build step extracted (server/mnist-asset.ts), fetched from this server.

export interface Split {
  readonly n: number;
  /** n × 784 row-major, pixel / 255 in [0, 1]. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
}

export interface Mnist {
  readonly train: Split;
  readonly test: Split;
  readonly bytes: number;
}

const PIXELS = 784;

function split(bytes: Uint8Array, at: number, n: number): { split: Split; end: number } {
  const px = bytes.subarray(at, at + n * PIXELS);
  const images = new Float32Array(n * PIXELS);
  for (let i = 0; i < images.length; i++) images[i] = px[i]! / 255;
  const labels = Int32Array.from(bytes.subarray(at + n * PIXELS, at + n * PIXELS + n));
  return { split: { n, images, labels }, end: at + n * PIXELS + n };
}

export async function loadMnist(url = 'mnist-subset.bin'): Promise<Mnist> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url}: HTTP ${res.status} (is this page served by \`pnpm web\`?)`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'KMN1') throw new Error(`${url}: not a Kiln MNIST subset (magic '${magic}')`);
  const nTrain = view.getUint32(4, true);
  const nTest = view.getUint32(8, true);
  if (view.getUint32(12, true) !== 28 || view.getUint32(16, true) !== 28) throw new Error(`${url}: images are not 28×28`);
  if (bytes.length !== 20 + (nTrain + nTest) * (PIXELS + 1)) throw new Error(`${url}: ${bytes.length} bytes, expected ${20 + (nTrain + nTest) * (PIXELS + 1)}`);
  const train = split(bytes, 20, nTrain);
  const test = split(bytes, train.end, nTest);
  return { train: train.split, test: test.split, bytes: bytes.length };
}
