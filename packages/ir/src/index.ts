// @kiln/ir — dtypes, shapes, the op registry, graphs, builder, printer, parser, verifier.
export * from './dtype.js';
export * from './shape.js';
export * from './errors.js';
export * from './attrs.js';
export * from './ops/index.js';
export * from './graph.js';
export * from './builder.js';
export * from './format-values.js';
export * from './printer.js';
export * from './lexer.js';
export * from './parser.js';
export * from './verifier.js';
export * from './random.js';
export * from './scalar-math.js';
export { dtypeInClass, type DTypeClass } from './ops/def.js';
export { windowedSize } from './ops/checks.js';
export * from './kernel-class.js';
export * from './eval/index.js';
