// FNV-1a over a string's UTF-16 code units: the one text hash behind Kiln's cache keys (shader
// hashes, tuning signatures, repro file names) and name-derived seeds (parameter initializers, CLI inputs).

export const FNV_OFFSET_BASIS = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a of `text`; another `basis` and `prime` give an independent lane (see shaderHash). */
export function fnv1a32(text: string, basis: number = FNV_OFFSET_BASIS, prime: number = FNV_PRIME): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), prime) >>> 0;
  return h;
}

/** `h` as 8 lowercase hex digits. */
export function hex32(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}
