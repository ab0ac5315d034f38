// Shared helpers for the IR package's tests: locating golden files, capturing KilnError text,
// and small constructors for tensor types.

import { fileURLToPath } from 'node:url';
import { KilnError, formatDiagnostic, parse, verify, type DType, type Shape, type TensorType } from '../src/index.js';

/** tests/golden/ir at the repository root (this file is packages/ir/test/helpers.ts). */
export const GOLDEN_IR_DIR = fileURLToPath(new URL('../../../tests/golden/ir/', import.meta.url));

export function t(dtype: DType, shape: Shape): TensorType {
  return { dtype, shape: [...shape] };
}

export const f32 = (...shape: number[]): TensorType => t('f32', shape);
export const i32 = (...shape: number[]): TensorType => t('i32', shape);
export const u32 = (...shape: number[]): TensorType => t('u32', shape);
export const bool = (...shape: number[]): TensorType => t('bool', shape);

/** Runs `f`, which must throw a KilnError, and returns the error. */
export function catchKiln(f: () => unknown): KilnError {
  try {
    f();
  } catch (e) {
    if (e instanceof KilnError) return e;
    throw new Error(`expected a KilnError, got ${String(e)}`);
  }
  throw new Error('expected a KilnError, nothing was thrown');
}

/** Parses `text` as `file` (which must succeed) and returns the verifier's formatted diagnostics. */
export function verifyText(text: string, file = 'bad.kir'): string[] {
  return verify(parse(text, file), { file }).map(formatDiagnostic);
}
