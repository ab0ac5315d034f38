// Attribute schemas: each op declares its attributes once as {name: kind}; the TypeScript type of
// the attribute record, the parser's checks and the printer's formatting all derive from it.

import type { DType } from './dtype.js';

export type AttrKind = 'int' | 'ints' | 'float' | 'bool' | 'dtype' | 'string' | 'symbol' | 'pairs' | 'tensor';

export type AttrSchema = Readonly<Record<string, AttrKind>>;

export type AttrValueOf<K extends AttrKind> = K extends 'int' | 'float'
  ? number
  : K extends 'ints'
    ? readonly number[]
    : K extends 'bool'
      ? boolean
      : K extends 'dtype'
        ? DType
        : K extends 'string' | 'symbol'
          ? string
          : K extends 'pairs'
            ? readonly (readonly [number, number])[]
            : K extends 'tensor'
              ? number | readonly number[]
              : never;

export type AttrValues<S extends AttrSchema> = { readonly [P in keyof S]: AttrValueOf<S[P]> };

/** Any attribute value, for code that handles attributes generically (printer, parser, CSE keys). */
export type AttrValue = number | readonly number[] | boolean | string | readonly (readonly [number, number])[];

/**
 * Annotations are compiler decisions attached to values after the fact (memory plan, in-place
 * updates). They print inside the same braces as attributes, after them, so dumps show them.
 */
export const ANNOTATION_KEYS = ['buf', 'offset', 'inplace'] as const;
export type AnnotationKey = (typeof ANNOTATION_KEYS)[number];
export type Annotations = Readonly<Partial<Record<AnnotationKey, number>>>;

export function isAnnotationKey(s: string): s is AnnotationKey {
  return (ANNOTATION_KEYS as readonly string[]).includes(s);
}
