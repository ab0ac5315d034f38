// Canonical text for numbers and attribute values, shared by the printer and error messages.
// Numbers round-trip exactly: shortest decimal form, with nan/inf/-inf and -0 spelled out.

import { isEnumAttrKind, type AttrKind, type AttrValue } from './attrs.js';

export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

export function formatAttrValue(kind: AttrKind, v: AttrValue): string {
  // Enum values print as strings, so IR text is the same as when they were free strings.
  if (isEnumAttrKind(kind)) return JSON.stringify(v);
  switch (kind) {
    case 'int':
    case 'float':
      return formatNumber(v as number);
    case 'ints':
      return `[${(v as readonly number[]).map(formatNumber).join(',')}]`;
    case 'bool':
      return v ? 'true' : 'false';
    case 'dtype':
      return v as string;
    case 'symbol':
      return `@${v as string}`;
    case 'pairs':
      return `[${(v as readonly (readonly [number, number])[]).map(([a, b]) => `[${a},${b}]`).join(',')}]`;
    case 'tensor':
      return typeof v === 'number' ? formatNumber(v) : `[${(v as readonly number[]).map(formatNumber).join(',')}]`;
    default: {
      const never: never = kind;
      return never;
    }
  }
}
