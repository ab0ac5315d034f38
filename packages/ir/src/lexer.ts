// Tokenizer for IR text. Tracks 1-based line:column for every token so parse errors point at
// the exact character. `#` and `//` start comments to end of line.

import { KilnError } from './errors.js';

export type TokenKind = 'value' | 'symbol' | 'ident' | 'number' | 'string' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

const PUNCT = ['->', '(', ')', '{', '}', '[', ']', ':', ',', '='];
const IDENT = /[A-Za-z0-9_.]/;
const NUMBER = /^-?(?:inf|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;

export function tokenize(text: string, file = '<ir>'): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  const error = (message: string): never => {
    throw new KilnError({ message, file, pos: { line, col } });
  };
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      advance(1);
      continue;
    }
    if (c === '#' || text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') advance(1);
      continue;
    }
    const start = { line, col };
    if (c === '%' || c === '@') {
      let j = i + 1;
      while (j < text.length && IDENT.test(text[j] ?? '')) j++;
      if (j === i + 1) error(`expected a name after '${c}'`);
      tokens.push({ kind: c === '%' ? 'value' : 'symbol', text: text.slice(i + 1, j), ...start });
      advance(j - i);
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (text[j] !== '"') error('unterminated string');
      let value: string;
      try {
        value = JSON.parse(text.slice(i, j + 1)) as string;
      } catch {
        // Bad escapes or raw control characters: report at the opening quote, not as a SyntaxError.
        return error(`invalid string literal ${text.slice(i, j + 1)}`);
      }
      tokens.push({ kind: 'string', text: value, ...start });
      advance(j + 1 - i);
      continue;
    }
    const num = NUMBER.exec(text.slice(i, i + 64));
    if (num !== null && (/[-\d.]/.test(c) || ((num[0] === 'inf' || num[0] === 'nan') && !IDENT.test(text[i + num[0].length] ?? '')))) {
      tokens.push({ kind: 'number', text: num[0], ...start });
      advance(num[0].length);
      continue;
    }
    const p = PUNCT.find((q) => text.startsWith(q, i));
    if (p !== undefined) {
      tokens.push({ kind: 'punct', text: p, ...start });
      advance(p.length);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT.test(text[j] ?? '')) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), ...start });
      advance(j - i);
      continue;
    }
    error(`unexpected character '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '', line, col });
  return tokens;
}

export function parseNumberToken(text: string): number {
  switch (text) {
    case 'nan':
    case '-nan':
      return NaN;
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    default:
      return Number(text);
  }
}
