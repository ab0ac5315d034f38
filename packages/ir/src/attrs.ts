// Attribute schemas: each op declares its attributes once as {name: kind}; the TypeScript type of
// the attribute record, the parser's checks and the printer's formatting all derive from it.

import type { DType } from './dtype.js';

/** The attribute kinds that are spelled by name in a schema. */
export type NamedAttrKind = 'int' | 'ints' | 'float' | 'bool' | 'dtype' | 'symbol' | 'pairs' | 'tensor';

/**
 * An attribute whose value is one of a fixed list of names (reduce_window's `kind`), written as a
 * "string" in IR text; the parser and the verifier reject any other value, naming the allowed ones.
 */
export interface EnumAttrKind<V extends string = string> {
  readonly enum: readonly [V, ...V[]];
}

export type AttrKind = NamedAttrKind | EnumAttrKind;

export type AttrSchema = Readonly<Record<string, AttrKind>>;

/** The schema entry of an enum attribute whose values are `values` (typed as their union). */
export function enumAttr<const V extends string>(values: readonly [V, ...V[]]): EnumAttrKind<V> {
  return { enum: values };
}

export function isEnumAttrKind(kind: AttrKind): kind is EnumAttrKind {
  return typeof kind === 'object';
}

/** `"max" or "sum"`: an enum's values as error messages and docs list them. */
export function formatEnumChoices(kind: EnumAttrKind): string {
  const quoted = kind.enum.map((v) => JSON.stringify(v));
  return quoted.reduce((text, q, i) => (i === quoted.length - 1 ? `${text} or ${q}` : `${text}, ${q}`));
}

/** A kind as docs and diagnostics name it: `ints`, or an enum's values `"max" | "sum"`. */
export function formatAttrKind(kind: AttrKind): string {
  return isEnumAttrKind(kind) ? kind.enum.map((v) => JSON.stringify(v)).join(' | ') : kind;
}

export type AttrValueOf<K extends AttrKind> =
  K extends EnumAttrKind<infer V>
    ? V
    : K extends 'int' | 'float'
      ? number
      : K extends 'ints'
        ? readonly number[]
        : K extends 'bool'
          ? boolean
          : K extends 'dtype'
            ? DType
            : K extends 'symbol'
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
