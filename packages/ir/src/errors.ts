// Diagnostics shared by builder, parser, verifier and every later layer. One format everywhere:
// `file:line:col: error: op: message (value %v) [traced at model.ts:12]`.

/** Where user code created a value (captured by the frontend at trace time). */
export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly col?: number;
}

/** Position in IR text (1-based). */
export interface IrPos {
  readonly line: number;
  readonly col: number;
}

export interface Diagnostic {
  readonly message: string;
  readonly op?: string;
  readonly value?: string;
  readonly file?: string;
  readonly pos?: IrPos;
  readonly source?: SourceLoc;
}

export function formatSourceLoc(loc: SourceLoc): string {
  return loc.col === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.col}`;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pos !== undefined ? `${d.file ?? '<ir>'}:${d.pos.line}:${d.pos.col}: ` : d.file !== undefined ? `${d.file}: ` : '';
  const op = d.op !== undefined ? `${d.op}: ` : '';
  const value = d.value !== undefined ? ` (value ${d.value})` : '';
  const source = d.source !== undefined ? ` [traced at ${formatSourceLoc(d.source)}]` : '';
  return `${where}error: ${op}${d.message}${value}${source}`;
}

export class KilnError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: Diagnostic | readonly Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? (diagnostics as readonly Diagnostic[]) : [diagnostics as Diagnostic];
    super(list.map(formatDiagnostic).join('\n'));
    this.name = 'KilnError';
    this.diagnostics = list;
  }
}

/** Thrown by an op's type rule; the builder/verifier attach op, value and location. */
export class TypeRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TypeRuleError';
  }
}

export function fail(message: string): never {
  throw new TypeRuleError(message);
}
