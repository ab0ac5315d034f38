// Checkpoints: the safetensors format, encoded and decoded by hand (no dependency). Layout: u64 LE
// header length N, N bytes of JSON header padded with spaces to 8-byte alignment, then the raw
// little-endian tensor bytes; each header entry gives dtype, shape and [begin, end) into that data.

import { KilnError } from '@kiln/ir';

export type SafetensorsDType = 'F32' | 'I32' | 'U32' | 'BOOL';
export type SafetensorsArray = Float32Array | Int32Array | Uint32Array | Uint8Array;

export interface SafetensorsTensor {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** Any numbers on save (converted to the dtype); on load, the dtype's array (BOOL → Uint8Array of 0/1). */
  readonly data: ArrayLike<number>;
}

export interface LoadedTensor extends SafetensorsTensor {
  readonly data: SafetensorsArray;
}

export interface SafetensorsContents {
  readonly tensors: Record<string, LoadedTensor>;
  readonly metadata: Record<string, string>;
}

const BYTES_PER_ELEMENT: { readonly [D in SafetensorsDType]: number } = { F32: 4, I32: 4, U32: 4, BOOL: 1 };
/** Same cap as the reference implementation: a larger header is taken as corruption, not parsed. */
export const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function isDType(s: unknown): s is SafetensorsDType {
  return typeof s === 'string' && Object.hasOwn(BYTES_PER_ELEMENT, s);
}

function fail(file: string, message: string): never {
  throw new KilnError({ file, message });
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The tensor's values as an array of its dtype, converting (with range checks) when the type differs. */
function toTypedArray(name: string, t: SafetensorsTensor, file: string): SafetensorsArray {
  const { dtype, data } = t;
  switch (dtype) {
    case 'F32':
      return data instanceof Float32Array ? data : Float32Array.from(data);
    case 'BOOL':
      return Uint8Array.from(data, (v) => (v !== 0 ? 1 : 0));
    case 'I32':
    case 'U32': {
      if (dtype === 'I32' && data instanceof Int32Array) return data;
      if (dtype === 'U32' && data instanceof Uint32Array) return data;
      const [lo, hi] = dtype === 'I32' ? [-0x80000000, 0x7fffffff] : [0, 0xffffffff];
      for (let i = 0; i < data.length; i++) {
        const v = data[i]!;
        if (!Number.isInteger(v) || v < lo || v > hi) fail(file, `tensor "${name}": element ${i} = ${v} is not a valid ${dtype}`);
      }
      return dtype === 'I32' ? Int32Array.from(data) : Uint32Array.from(data);
    }
    default: {
      const never: never = dtype;
      return fail(file, `tensor "${name}": unknown dtype ${String(never)}`);
    }
  }
}

function bytesOf(a: SafetensorsArray): Uint8Array {
  const view = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (HOST_LITTLE_ENDIAN || a.BYTES_PER_ELEMENT === 1) return view;
  const swapped = view.slice();
  for (let i = 0; i < swapped.length; i += 4) swapped.subarray(i, i + 4).reverse();
  return swapped;
}

/**
 * Encodes tensors (and optional string metadata) as a safetensors byte image. Tensors are laid out
 * widest dtype first (stable within a width), so every 4-byte tensor starts 4-byte aligned and a
 * reader can view the data without copying; the header keeps that order.
 */
export function encodeSafetensors(tensors: Readonly<Record<string, SafetensorsTensor>>, metadata?: Readonly<Record<string, string>>, file = '<memory>'): Uint8Array {
  const entries = Object.entries(tensors).map(([name, t]) => {
    if (name === METADATA_KEY) fail(file, `"${METADATA_KEY}" is reserved and cannot name a tensor`);
    if (!isDType(t.dtype)) fail(file, `tensor "${name}": unknown dtype ${String(t.dtype)}`);
    for (const d of t.shape) {
      if (!Number.isSafeInteger(d) || d < 0) fail(file, `tensor "${name}": invalid shape [${t.shape.join(', ')}]`);
    }
    const numel = elementCount(t.shape);
    if (t.data.length !== numel) {
      fail(file, `tensor "${name}": shape [${t.shape.join(', ')}] holds ${numel} elements but data has ${t.data.length}`);
    }
    return { name, dtype: t.dtype, shape: [...t.shape], bytes: bytesOf(toTypedArray(name, t, file)) };
  });
  entries.sort((a, b) => BYTES_PER_ELEMENT[b.dtype] - BYTES_PER_ELEMENT[a.dtype]);

  // Object.fromEntries defines own properties, so even a tensor named "__proto__" stays a plain key.
  const headerEntries: [string, unknown][] = [];
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') fail(file, `metadata "${k}" must be a string, got ${typeof v}`);
    }
    headerEntries.push([METADATA_KEY, Object.fromEntries(Object.entries(metadata))]);
  }
  let offset = 0;
  for (const e of entries) {
    headerEntries.push([e.name, { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.length] }]);
    offset += e.bytes.length;
  }
  const header = Object.fromEntries(headerEntries);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const e of entries) {
    out.set(e.bytes, at);
    at += e.bytes.length;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function copyAs(dtype: SafetensorsDType, bytes: Uint8Array): SafetensorsArray {
  const own = bytes.slice(); // fresh, aligned buffer: the result never aliases the file image
  if (!HOST_LITTLE_ENDIAN && dtype !== 'BOOL') {
    for (let i = 0; i < own.length; i += 4) own.subarray(i, i + 4).reverse();
  }
  switch (dtype) {
    case 'F32':
      return new Float32Array(own.buffer);
    case 'I32':
      return new Int32Array(own.buffer);
    case 'U32':
      return new Uint32Array(own.buffer);
    case 'BOOL':
      return own;
    default: {
      const never: never = dtype;
      throw new Error(`unreachable dtype ${String(never)}`);
    }
  }
}

/**
 * Decodes and validates a safetensors byte image. `file` names the source in errors. Rejects a short
 * file, an oversized or truncated header, bad JSON, unknown dtypes, malformed shapes, offsets outside
 * the data or inconsistent with the shape, and overlapping tensors.
 */
export function decodeSafetensors(bytes: Uint8Array, file = '<memory>'): SafetensorsContents {
  if (bytes.length < 8) fail(file, `file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    fail(file, `header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit (corrupt or not safetensors)`);
  }
  const n = Number(headerLength);
  if (8 + n > bytes.length) fail(file, `header length ${n} runs past the end of the ${bytes.length}-byte file`);

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(file, `header is not valid UTF-8 JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isRecord(header)) fail(file, 'header is not a JSON object');

  const data = bytes.subarray(8 + n);
  const metadata: [string, string][] = [];
  const tensors: [string, LoadedTensor][] = [];
  const spans: { name: string; begin: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (!isRecord(entry)) fail(file, `"${METADATA_KEY}" is not an object`);
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string') fail(file, `metadata "${k}" is not a string`);
        metadata.push([k, v]);
      }
      continue;
    }
    const what = `tensor "${name}"`;
    if (!isRecord(entry)) fail(file, `${what}: header entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry;
    if (!isDType(dtype)) fail(file, `${what}: unknown dtype ${JSON.stringify(dtype)} (supported: F32, I32, U32, BOOL)`);
    if (!Array.isArray(shape) || !shape.every(isIndex)) fail(file, `${what}: shape ${JSON.stringify(shape)} is not a list of sizes`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
      fail(file, `${what}: data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) fail(file, `${what}: data_offsets [${begin}, ${end}] has begin > end`);
    if (end > data.length) {
      fail(file, `${what}: data_offsets [${begin}, ${end}] run past the end of the ${data.length}-byte data section`);
    }
    const expected = elementCount(shape) * BYTES_PER_ELEMENT[dtype];
    if (end - begin !== expected) {
      fail(file, `${what}: data_offsets [${begin}, ${end}] span ${end - begin} bytes but ${dtype}[${shape.join(', ')}] needs ${expected}`);
    }
    if (end > begin) spans.push({ name, begin, end }); // empty tensors occupy nothing and cannot overlap
    tensors.push([name, { dtype, shape: shape, data: copyAs(dtype, data.subarray(begin, end)) }]);
  }
  spans.sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1]!;
    const cur = spans[i]!;
    if (cur.begin < prev.end) {
      fail(file, `tensor "${cur.name}": data_offsets [${cur.begin}, ${cur.end}] overlap tensor "${prev.name}" [${prev.begin}, ${prev.end}]`);
    }
  }
  // fromEntries: own data properties, so a hostile "__proto__" key cannot change a prototype.
  return { tensors: Object.fromEntries(tensors), metadata: Object.fromEntries(metadata) };
}
