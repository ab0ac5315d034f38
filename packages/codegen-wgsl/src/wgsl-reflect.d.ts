// Types for wgsl_reflect's ES module entry (its package maps types only for the bare name).
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}
