// A FileCheck-style matcher (after LLVM's FileCheck) for pass tests: a .kir file holds an input
// graph, a `// RUN: <pipeline>` line and `// CHECK:` / `// CHECK-NEXT:` / `// CHECK-NOT:` lines
// that the printed output of the pipeline must satisfy, in order.

export type DirectiveKind = 'CHECK' | 'CHECK-NEXT' | 'CHECK-NOT';

export interface Directive {
  readonly kind: DirectiveKind;
  readonly pattern: string;
  /** 1-based line in the .kir file, for messages. */
  readonly line: number;
}

export interface CheckFile {
  /** The pipeline of the RUN line (a pass list as `kiln opt --passes` takes). */
  readonly run: string;
  /** The file with its `//` lines blanked (so IR line numbers stay those of the file). */
  readonly input: string;
  readonly directives: readonly Directive[];
}

const DIRECTIVE = /^\s*\/\/\s*(RUN|CHECK|CHECK-NEXT|CHECK-NOT):(.*)$/;

/** Splits a .kir check file into its RUN pipeline, input IR and CHECK directives. */
export function parseCheckFile(text: string, file: string): CheckFile {
  let run: string | undefined;
  const directives: Directive[] = [];
  const lines = text.split('\n').map((l, i) => {
    if (!/^\s*\/\//.test(l)) return l;
    const m = DIRECTIVE.exec(l);
    if (m !== null) {
      const body = m[2]!.trim();
      if (m[1] === 'RUN') {
        if (run !== undefined) throw new Error(`${file}:${i + 1}: a second RUN line`);
        run = body;
      } else directives.push({ kind: m[1] as DirectiveKind, pattern: body, line: i + 1 });
    }
    return '';
  });
  if (run === undefined || run === '') throw new Error(`${file}: no '// RUN: <pipeline>' line`);
  if (!directives.some((d) => d.kind === 'CHECK')) throw new Error(`${file}: no '// CHECK:' line`);
  if (directives[0]?.kind === 'CHECK-NEXT') throw new Error(`${file}:${directives[0].line}: CHECK-NEXT needs a CHECK before it`);
  return { run, input: lines.join('\n'), directives };
}

/** A pattern as a RegExp: literal text, with `{{regex}}` spans as regular expressions. */
export function patternRegExp(pattern: string): RegExp {
  let src = '';
  let rest = pattern;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) break;
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) throw new Error(`unclosed {{ in pattern '${pattern}'`);
    src += escape(rest.slice(0, open)) + `(?:${rest.slice(open + 2, close)})`;
    rest = rest.slice(close + 2);
  }
  return new RegExp(src + escape(rest));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Checks `output` against `directives`; returns the failures (empty when all hold). CHECK finds
 * its pattern on this or a later line, CHECK-NEXT on the line right after the previous match, and
 * CHECK-NOT must not occur between the previous match and the next positive match (or the end).
 */
export function fileCheck(output: string, directives: readonly Directive[], file: string): string[] {
  const lines = output.split('\n');
  const failures: string[] = [];
  let next = 0; // first output line the next positive directive may match
  let lastMatch = -1;
  let pendingNot: Directive[] = [];
  const notsBetween = (from: number, to: number): void => {
    for (const d of pendingNot) {
      const re = patternRegExp(d.pattern);
      for (let i = from; i < to; i++) if (re.test(lines[i]!)) failures.push(`${file}:${d.line}: CHECK-NOT: '${d.pattern}' found on output line ${i + 1}: ${lines[i]}`);
    }
    pendingNot = [];
  };
  for (const d of directives) {
    if (d.kind === 'CHECK-NOT') {
      pendingNot.push(d);
      continue;
    }
    const re = patternRegExp(d.pattern);
    let found = -1;
    if (d.kind === 'CHECK-NEXT') {
      if (lastMatch + 1 < lines.length && re.test(lines[lastMatch + 1]!)) found = lastMatch + 1;
      else failures.push(`${file}:${d.line}: CHECK-NEXT: '${d.pattern}' is not on the line after the previous match (output line ${lastMatch + 2}: ${lines[lastMatch + 1] ?? '<end>'})`);
    } else {
      for (let i = next; i < lines.length && found < 0; i++) if (re.test(lines[i]!)) found = i;
      if (found < 0) failures.push(`${file}:${d.line}: CHECK: '${d.pattern}' not found after output line ${next}`);
    }
    if (found < 0) return failures;
    notsBetween(next, found);
    lastMatch = found;
    next = found + 1;
  }
  notsBetween(next, lines.length);
  return failures;
}
