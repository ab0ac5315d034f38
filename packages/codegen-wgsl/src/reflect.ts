// Binding reflection: parses generated WGSL with wgsl_reflect (a parser/reflector, not a
// validator — Dawn's shader compile validates) to list the storage bindings and the entry
// point's workgroup size, so tests can check shaders against their binding plans.

import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';

export interface ReflectedBinding {
  readonly group: number;
  readonly binding: number;
  readonly name: string;
  readonly access: string;
  /** Element type of the array, e.g. 'f32', 'vec4<f32>', 'atomic<u32>'. */
  readonly element: string;
}

export interface ReflectedShader {
  readonly bindings: readonly ReflectedBinding[];
  readonly entryPoints: readonly { readonly name: string; readonly workgroupSize: readonly number[] }[];
}

interface TypeLike {
  readonly name: string;
  readonly format?: TypeLike | null;
}

function typeName(t: TypeLike | null | undefined): string {
  if (t === null || t === undefined) return '?';
  return t.format !== undefined && t.format !== null ? `${t.name}<${typeName(t.format)}>` : t.name;
}

export function reflectShader(wgsl: string): ReflectedShader {
  const r = new WgslReflect(wgsl);
  const bindings = r.storage
    .map((s) => ({ group: s.group, binding: s.binding, name: s.name, access: s.access, element: typeName((s.type as TypeLike).format) }))
    .sort((a, b) => a.group - b.group || a.binding - b.binding);
  const entryPoints = r.entry.compute.map((e) => ({ name: e.name, workgroupSize: [...(e.workgroupSize ?? [])] }));
  return { bindings, entryPoints };
}
