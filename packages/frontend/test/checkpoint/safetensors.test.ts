// Checkpoints: safetensors bytes checked against hand-built images, round trips, and corrupt-file errors.
import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, fromSafetensors, loadSafetensors, saveSafetensors, toSafetensors } from '../../src/checkpoint/index.js';

/** A safetensors image built by hand from a header string and raw data bytes. */
function image(headerJson: string, data: number[] = []): Uint8Array {
  const json = new TextEncoder().encode(headerJson);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors encoding', () => {
  it('writes the exact bytes of a tiny file', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: [1, -2] } });
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 54 bytes → 2 spaces of padding to 56
    const expected = [
      56,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      ...Array.from(header, (c) => c.charCodeAt(0)),
      0x20,
      0x20,
      0x00,
      0x00,
      0x80,
      0x3f, // 1.0f little-endian
      0x00,
      0x00,
      0x00,
      0xc0, // -2.0f
    ];
    expect(Array.from(bytes)).toEqual(expected);
  });

  it('round-trips every dtype, empty and scalar tensors, and metadata', () => {
    const tensors = {
      flag: { dtype: 'BOOL' as const, shape: [3], data: Uint8Array.of(1, 0, 1) },
      w: { dtype: 'F32' as const, shape: [2, 3], data: Float32Array.of(0.5, -1, 3.25, 1e-8, -0, Infinity) },
      idx: { dtype: 'I32' as const, shape: [3], data: Int32Array.of(-2147483648, 0, 2147483647) },
      key: { dtype: 'U32' as const, shape: [2], data: Uint32Array.of(0, 4294967295) },
      empty: { dtype: 'F32' as const, shape: [0, 4], data: new Float32Array(0) },
      scalar: { dtype: 'F32' as const, shape: [], data: Float32Array.of(7) },
    };
    const metadata = { format: 'kiln', step: '120', ünïcode: '✓' };
    const bytes = encodeSafetensors(tensors, metadata);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual(metadata);
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const got = back.tensors[name]!;
      expect(got.dtype).toBe(t.dtype);
      expect(got.shape).toEqual(t.shape);
      expect(got.data.constructor).toBe(t.data.constructor);
      expect(Array.from(got.data)).toEqual(Array.from(t.data));
    }
    expect(Object.is(back.tensors['w']!.data[4], -0)).toBe(true);
  });

  it('treats a tensor named "__proto__" as an ordinary name', () => {
    const tensors = JSON.parse('{"__proto__": {"dtype": "I32", "shape": [1], "data": [9]}}') as Parameters<typeof encodeSafetensors>[0];
    const back = decodeSafetensors(encodeSafetensors(tensors));
    expect(Object.keys(back.tensors)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(back.tensors)).toBe(Object.prototype);
    expect(Array.from(Object.entries(back.tensors)[0]![1].data)).toEqual([9]);
  });

  it('places 4-byte tensors before 1-byte ones so their data stays aligned', () => {
    const bytes = encodeSafetensors({
      b: { dtype: 'BOOL', shape: [3], data: [1, 1, 0] },
      f: { dtype: 'F32', shape: [1], data: [2] },
    });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { data_offsets: number[] }>;
    expect(header['f']!.data_offsets).toEqual([0, 4]);
    expect(header['b']!.data_offsets).toEqual([4, 7]);
  });

  it('converts plain numbers to the dtype and rejects values it cannot hold', () => {
    const back = decodeSafetensors(encodeSafetensors({ i: { dtype: 'I32', shape: [2], data: [3, -4] } }));
    expect(back.tensors['i']!.data).toEqual(Int32Array.of(3, -4));
    expect(() => encodeSafetensors({ i: { dtype: 'I32', shape: [1], data: [1.5] } })).toThrow(/tensor "i": element 0 = 1.5/);
    expect(() => encodeSafetensors({ u: { dtype: 'U32', shape: [1], data: [-1] } })).toThrow(/not a valid U32/);
    expect(() => encodeSafetensors({ s: { dtype: 'F32', shape: [2, 2], data: [1] } })).toThrow(/tensor "s".*4 elements but data has 1/);
  });
});

describe('safetensors validation on load', () => {
  const okEntry = '"dtype":"F32","shape":[2]';
  const cases: [string, Uint8Array, RegExp][] = [
    ['a short file', Uint8Array.of(1, 2, 3), /too short/],
    [
      'an oversized header length',
      (() => {
        const b = new Uint8Array(16);
        new DataView(b.buffer).setBigUint64(0, 1n << 40n, true);
        return b;
      })(),
      /exceeds the 100000000-byte limit/,
    ],
    [
      'a header running past the file',
      (() => {
        const b = image('{}');
        new DataView(b.buffer).setBigUint64(0, 50n, true);
        return b;
      })(),
      /runs past the end/,
    ],
    ['invalid JSON', image('{"a": '), /not valid UTF-8 JSON/],
    ['a non-object header', image('[1,2]'), /not a JSON object/],
    ['an unknown dtype', image('{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}', [0, 0]), /tensor "h": unknown dtype "F16"/],
    ['out-of-range offsets', image(`{"w":{${okEntry},"data_offsets":[0,8]}}`, [0, 0, 0, 0]), /tensor "w": data_offsets \[0, 8\] run past the end/],
    ['offsets inconsistent with the shape', image(`{"w":{${okEntry},"data_offsets":[0,4]}}`, [0, 0, 0, 0]), /tensor "w".*span 4 bytes but F32\[2\] needs 8/],
    ['reversed offsets', image(`{"w":{${okEntry},"data_offsets":[8,0]}}`, new Array<number>(8).fill(0)), /begin > end/],
    ['a malformed shape', image('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}'), /tensor "w": shape \[-1\]/],
    [
      'overlapping tensors',
      image(`{"a":{${okEntry},"data_offsets":[0,8]},"b":{${okEntry},"data_offsets":[4,12]}}`, new Array<number>(12).fill(0)),
      /tensor "b": data_offsets \[4, 12\] overlap tensor "a" \[0, 8\]/,
    ],
    ['non-string metadata', image('{"__metadata__":{"step":3}}'), /metadata "step" is not a string/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`rejects ${what}, naming the file`, () => {
      expect(() => decodeSafetensors(bytes, 'ckpt/model.safetensors')).toThrow(message);
      expect(() => decodeSafetensors(bytes, 'ckpt/model.safetensors')).toThrow(/^ckpt\/model\.safetensors: error: /);
    });
  }

  it("accepts a hand-built file with an empty tensor inside another tensor's range", () => {
    const back = decodeSafetensors(image('{"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]},"e":{"dtype":"I32","shape":[0],"data_offsets":[2,2]}}', [5, 0, 0, 0]));
    expect(Array.from(back.tensors['a']!.data)).toEqual([5]);
    expect(back.tensors['e']!.data.length).toBe(0);
  });
});

describe('safetensors files', () => {
  it('saves (creating directories) and loads back; loader errors name the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-ckpt-'));
    try {
      const path = join(dir, 'nested', 'model.safetensors');
      await saveSafetensors(path, { w: { dtype: 'F32', shape: [2], data: [1, 2] } }, { epoch: '3' });
      const back = await loadSafetensors(path);
      expect(back.metadata).toEqual({ epoch: '3' });
      expect(Array.from(back.tensors['w']!.data)).toEqual([1, 2]);
      expect((await readFile(path)).subarray(0, 8)).toEqual(Buffer.from(encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: [1, 2] } }, { epoch: '3' }).subarray(0, 8)));
      const bad = join(dir, 'bad.safetensors');
      await writeFile(bad, image(`{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, [0, 0]));
      await expect(loadSafetensors(bad)).rejects.toThrow(`${bad}: error: tensor "w"`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('IR-typed host tensors', () => {
  it('maps dtypes both ways and checks expected types', () => {
    const file = encodeSafetensors(
      toSafetensors({
        w: { type: { dtype: 'f32', shape: [2] }, data: Float64Array.of(0.1, 2) },
        m: { type: { dtype: 'bool', shape: [1] }, data: Uint8Array.of(1) },
      }),
    );
    const host = fromSafetensors(decodeSafetensors(file), { w: { dtype: 'f32', shape: [2] } });
    expect(host['w']!.type).toEqual({ dtype: 'f32', shape: [2] });
    expect(host['w']!.data[0]).toBe(Math.fround(0.1));
    expect(host['m']!.type.dtype).toBe('bool');
    expect(() => fromSafetensors(decodeSafetensors(file), { w: { dtype: 'f32', shape: [3] } }, 'x.st')).toThrow(/tensor "w" is f32\[2\].*expected f32\[3\]/);
    expect(() => fromSafetensors(decodeSafetensors(file), { b: { dtype: 'f32', shape: [1] } })).toThrow(/no tensor "b"/);
  });
});
