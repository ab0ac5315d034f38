// docs/ir.md: the IR reference — grammar (EBNF), value semantics, and one entry per op generated
// from the op registry (packages/ir: arity, attributes, fusion class, algebra, doc string).
// Usage: pnpm docs:ir            regenerate docs/ir.md (commit the result)
//        pnpm docs:ir --check    exit 1 if docs/ir.md differs from the registry
// tests/docs/ir-reference.test.ts runs the check in CI.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANNOTATION_KEYS, OP_KINDS, algebraOf, formatAttrKind, opDefErased, type FusionKind, type OpKind } from '@kiln/ir';

export const IR_DOC = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'ir.md');

const GRAMMAR = `module      = { kernel } graph { kernel } ;              (* exactly one graph *)
kernel      = "kernel" symbol signature body ;
graph       = "graph" symbol signature body ;
signature   = "(" [ param { "," param } ] ")" "->" "(" [ result { "," result } ] ")" ;
param       = value ":" type [ "{" param-attr { "," param-attr } "}" ] ;
param-attr  = "state" | annotation ;
result      = ( ident | value ) ":" type ;         (* %name: the result updates state %name *)
body        = "{" { node } "return" [ value { "," value } ] "}" ;
node        = value ":" type "=" op-name [ value { "," value } ] [ attrs ] ;
attrs       = "{" attr { "," attr } "}" ;
attr        = ident "=" attr-value | annotation ;
annotation  = ( ${ANNOTATION_KEYS.map((k) => `"${k}"`).join(' | ')} ) "=" integer ;
attr-value  = number | ident | string | symbol | "[" [ attr-value { "," attr-value } ] "]" ;
type        = dtype "[" [ integer { "," integer } ] "]" ;   (* f32[] is a scalar *)
dtype       = "f32" | "i32" | "u32" | "bool" ;
value       = "%" name ;  symbol = "@" name ;  name = ( letter | digit | "_" | "." ) { letter | digit | "_" | "." } ;
number      = [ "-" ] ( "inf" | "nan" | decimal [ exponent ] ) ;
string      = '"' { character | "\\\\" character } '"' ;
comment     = ( "#" | "//" ) { character } end-of-line ;   (* ignored *)`;

const SEMANTICS = `- A **graph** is a list of nodes in SSA form: each \`%name\` is defined once, before its uses, with
  its full static type. There is no implicit broadcasting: operands of elementwise ops have one shape.
- Parameters marked \`{state}\` are persistent state; a result written \`%name: type\` (with \`%\`)
  is the new value of state \`%name\` after one step.
- A **kernel** is a graph that one \`call\` node runs as a single fused GPU kernel (the fuse and
  outline passes create them); its parameters are \`%in0, %in1, ...\`.
- Annotations are compiler decisions recorded in the IR: \`buf\` / \`offset\` place a value in a
  device buffer (buffer 0 is the memory-planned arena), \`inplace\` marks an in-place update.
- Integers wrap (i32, u32), float ops follow IEEE-754 f32 as WGSL does; the reference evaluator
  (packages/ir/src/eval) defines the semantics the interpreter and constant folding share.`;

const FUSION_TEXT: { readonly [F in FusionKind]: string } = {
  elementwise: 'Elementwise: one output element from the same-index operand elements.',
  layout: 'Layout: an index remapping a consumer folds into its load.',
  source: 'Sources: values generated from the index (and attributes) alone.',
  reduction: 'Reductions: a kernel anchor that reduces over axes.',
  matmul: 'Matrix multiply: a kernel anchor (GEMM templates).',
  conv: 'Convolution: a kernel anchor (GEMM templates).',
  window: 'Windows: pooling and its gradient, kernels of their own.',
  gather: 'Gather: indexed reads, a kernel of its own.',
  scatter: 'Scatter: indexed atomic accumulation, a kernel of its own.',
  call: 'Calls: run a kernel.',
};
const FUSION_ORDER: readonly FusionKind[] = ['elementwise', 'layout', 'source', 'reduction', 'matmul', 'conv', 'window', 'gather', 'scatter', 'call'];

function signature(op: OpKind): string {
  const def = opDefErased(op);
  const operands = def.arity === 'variadic' ? ' %x0, %x1, ...' : def.arity === 0 ? '' : ' ' + Array.from({ length: def.arity }, (_, i) => `%x${i}`).join(', ');
  const attrs = Object.entries(def.attrs).map(([k, kind]) => `${k}=<${formatAttrKind(kind)}>`);
  return `%r: type = ${op}${operands}${attrs.length > 0 ? ` {${attrs.join(', ')}}` : ''}`;
}

function opEntry(op: OpKind): string {
  const def = opDefErased(op);
  const a = algebraOf(op);
  const facts = [
    `arity ${def.arity}`,
    `fusion class \`${def.fusion}\``,
    ...(def.typeFromAnnotation ? ['result type from the annotation'] : []),
    ...(a.commutative ? ['commutative'] : []),
    ...(a.associative ? ['associative'] : []),
    ...(a.idempotent ? ['idempotent'] : []),
  ];
  return `### \`${op}\`\n\n\`\`\`\n${signature(op)}\n\`\`\`\n\n${def.doc}\n\n*${facts.join('; ')}.*\n`;
}

/** The whole of docs/ir.md, from the registry. */
export function renderIrDoc(): string {
  const sections = FUSION_ORDER.map((f) => {
    const ops = OP_KINDS.filter((op) => opDefErased(op).fusion === f);
    return ops.length === 0 ? '' : `## ${FUSION_TEXT[f]}\n\n${ops.map(opEntry).join('\n')}`;
  }).filter((s) => s !== '');
  return `<!-- Generated by scripts/ir-docs.ts from the op registry (packages/ir/src/ops); edit those, then run pnpm docs:ir. -->
# Kiln IR reference

The textual form of Kiln's IR (\`kiln print\`, \`kiln opt\`, the .kir files under tests/) and the
semantics of every op. ${OP_KINDS.length} ops; each section lists an op's operands, attributes (with their
kinds), fusion class and algebraic facts, and its registry doc string.

## Grammar (EBNF)

\`\`\`ebnf
${GRAMMAR}
\`\`\`

## Semantics

${SEMANTICS}

${sections.join('\n')}`;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = renderIrDoc();
  if (process.argv.includes('--check')) {
    if (readFileSync(IR_DOC, 'utf8') !== text) {
      console.error('docs/ir.md is stale: run pnpm docs:ir');
      process.exit(1);
    }
  } else writeFileSync(IR_DOC, text);
}
