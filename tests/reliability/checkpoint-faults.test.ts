// Checkpoint faults: a save interrupted halfway (an I/O error mid-write, or the process killed
// mid-write) leaves the previous file intact and loadable; corrupted safetensors (truncated, header
// length past the end, huge header, unknown or wrong dtype, shape/size mismatch) and missing files
// are KilnErrors naming the file, and loading them changes nothing in the model.

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KilnError } from '@kiln/ir';
import * as k from '@kiln/frontend';

/** When set, the next checkpoint write stores half its bytes and then fails as a full disk would. */
const fault = { failNextWrite: false };

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof fs.open = async (...args: Parameters<typeof fs.open>) => {
    const fh = await fs.open(...args);
    if (!fault.failNextWrite) return fh;
    fault.failNextWrite = false;
    const writeHalf = async (data: unknown): Promise<void> => {
      const bytes = data as Uint8Array;
      await fh.write(bytes.subarray(0, bytes.length >> 1));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    return Object.assign(fh, { writeFile: writeHalf });
  };
  return { ...fs, open, default: { ...fs, open } };
});

class Net extends k.nn.Module {
  fc = new k.nn.Linear(3, 2);
  forward(x: k.Tensor): k.Tensor {
    return this.fc.forward(x);
  }
}

const here = dirname(fileURLToPath(import.meta.url));
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-faults-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function weights(m: Net): Promise<number[]> {
  const bias = m.fc.bias;
  if (bias === undefined) throw new Error('Net.fc has a bias');
  return [...(await m.fc.weight.read()).data, ...(await bias.read()).data];
}

async function kilnError(p: Promise<unknown>): Promise<KilnError> {
  try {
    await p;
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(KilnError);
    return e as KilnError;
  }
  throw new Error('expected a KilnError, nothing was thrown');
}

describe('checkpoint writes are atomic', () => {
  it('a save that fails halfway leaves the previous checkpoint byte for byte, and no temp file', async () => {
    const path = join(dir, 'atomic', 'model.safetensors');
    const model = new Net();
    await k.checkpoint.save(path, model);
    const before = await readFile(path);
    const saved = await weights(model);
    await model.fc.weight.write(new Float32Array(6).fill(42));
    fault.failNextWrite = true;
    const e = await kilnError(k.checkpoint.save(path, model));
    expect(e.message).toMatch(/model\.safetensors: error: could not write the checkpoint \(the previous file, if any, is unchanged\): ENOSPC/);
    expect(Buffer.compare(await readFile(path), before)).toBe(0);
    expect((await readdir(dirname(path))).sort()).toEqual(['model.safetensors']);
    const restored = new Net();
    await k.checkpoint.load(path, restored);
    expect(await weights(restored)).toEqual(saved);
  });

  it('a process killed while saving a large checkpoint leaves the previous file loadable', async () => {
    const path = join(dir, 'killed.safetensors');
    const small = new Float32Array([1, 2, 3]);
    await k.checkpoint.saveSafetensors(path, { w: { dtype: 'F32', shape: [3], data: small } });
    const before = await readFile(path);
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'save-forever.ts'), path], { stdio: ['ignore', 'pipe', 'inherit'] });
    // The child says when its first large save is under way, then is killed mid-write.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('saving') && resolve());
      child.on('exit', (code) => reject(new Error(`save-forever.ts exited early (${code})`)));
    });
    // Killed while a temp file is being written: that is the torn write atomicity must survive.
    let tornWrite = false;
    for (let i = 0; i < 2000 && !tornWrite; i++) {
      tornWrite = (await readdir(dir)).some((n) => n.startsWith('.killed.safetensors.tmp-'));
      if (!tornWrite) await new Promise((r) => setTimeout(r, 2));
    }
    child.kill('SIGKILL');
    expect(tornWrite).toBe(true);
    await new Promise((r) => child.on('exit', r));
    const after = await readFile(path);
    // Either the old file or one complete new one, never a torn one.
    const loaded = k.checkpoint.decodeSafetensors(new Uint8Array(after.buffer, after.byteOffset, after.byteLength), path);
    if (Buffer.compare(after, before) === 0) expect(Array.from(loaded.tensors['w']!.data)).toEqual([1, 2, 3]);
    else expect(loaded.tensors['w']!.shape).toEqual([1 << 23]);
    expect((await stat(path)).isFile()).toBe(true);
  }, 60_000);
});

/** A valid checkpoint of `model`, to corrupt. */
async function goodImage(model: Net): Promise<Uint8Array> {
  return k.checkpoint.encode(model);
}

function headerOf(bytes: Uint8Array): { length: number; json: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as never };
}

/** The image with its header replaced (data section kept). */
function withHeader(bytes: Uint8Array, edit: (h: ReturnType<typeof headerOf>['json']) => void): Uint8Array {
  const { length, json } = headerOf(bytes);
  edit(json);
  const text = new TextEncoder().encode(JSON.stringify(json));
  const padded = Math.ceil(text.length / 8) * 8;
  const out = new Uint8Array(8 + padded + bytes.length - 8 - length);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.fill(0x20, 8, 8 + padded);
  out.set(text, 8);
  out.set(bytes.subarray(8 + length), 8 + padded);
  return out;
}

describe('corrupted checkpoints are clear errors and change nothing', () => {
  const cases: readonly [string, (good: Uint8Array) => Uint8Array, RegExp][] = [
    ['truncated in the data section', (g) => g.subarray(0, g.length - 5), /run past the end of the \d+-byte data section/],
    ['truncated inside the header length', (g) => g.subarray(0, 5), /file is 5 bytes, too short for the 8-byte header length/],
    [
      'header length past the end',
      (g) => {
        const c = g.slice();
        new DataView(c.buffer).setBigUint64(0, BigInt(g.length), true);
        return c;
      },
      /header length \d+ runs past the end of the \d+-byte file/,
    ],
    [
      'a huge header length',
      (g) => {
        const c = g.slice();
        new DataView(c.buffer).setBigUint64(0, 1n << 60n, true);
        return c;
      },
      /header length \d+ exceeds the 100000000-byte limit/,
    ],
    ['an unknown dtype', (g) => withHeader(g, (h) => (h['fc.weight']!.dtype = 'F64')), /tensor "fc\.weight": unknown dtype "F64"/],
    [
      'a wrong dtype (I32 for an f32 weight)',
      (g) => withHeader(g, (h) => (h['fc.weight']!.dtype = 'I32')),
      /shape or dtype differs: fc\.weight \(model f32\[3,2\], checkpoint i32\[3,2\]\)/,
    ],
    [
      'a shape that does not match the data size',
      (g) => withHeader(g, (h) => (h['fc.weight']!.shape = [3, 3])),
      /tensor "fc\.weight": data_offsets \[\d+, \d+\] span 24 bytes but F32\[3, 3\] needs 36/,
    ],
    [
      'a shape that matches the data but not the model',
      (g) => withHeader(g, (h) => (h['fc.weight']!.shape = [2, 3])),
      /shape or dtype differs: fc\.weight \(model f32\[3,2\], checkpoint f32\[2,3\]\)/,
    ],
    [
      'a header that is not JSON',
      (g) => {
        const c = g.slice();
        c[8] = 0x7b;
        c[9] = 0x7b;
        return c;
      },
      /header is not valid UTF-8 JSON/,
    ],
  ];

  it.each(cases)('%s', async (_what, corrupt, message) => {
    const model = new Net();
    const good = await goodImage(model);
    const path = join(dir, 'corrupt.safetensors');
    await writeFile(path, corrupt(good));
    const target = new Net();
    const before = await weights(target);
    const e = await kilnError(k.checkpoint.load(path, target));
    expect(e.message).toMatch(message);
    expect(e.message).toContain(path);
    expect(await weights(target)).toEqual(before);
    // From bytes as well as from a file.
    await kilnError(k.checkpoint.load(corrupt(good), target));
    expect(await weights(target)).toEqual(before);
  });

  it('a missing file is a KilnError naming it', async () => {
    const path = join(dir, 'nope', 'missing.safetensors');
    const e = await kilnError(k.checkpoint.load(path, new Net()));
    expect(e.message).toMatch(/missing\.safetensors: error: could not read the checkpoint: .*ENOENT/);
  });
});
