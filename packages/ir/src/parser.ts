// IR parser: text → Graph. Syntax and name-resolution errors throw KilnError with line:column;
// type errors are left to the verifier, which reports them at the node's position.

import { formatEnumChoices, isAnnotationKey, isEnumAttrKind, type AnnotationKey, type AttrKind, type AttrValue } from './attrs.js';
import { isDType } from './dtype.js';
import { KilnError, type IrPos } from './errors.js';
import type { Graph, GraphInput, GraphOutput, Node, ValueId } from './graph.js';
import { parseNumberToken, tokenize, type Token } from './lexer.js';
import { isOpKind, opDefErased, OP_KINDS } from './ops/index.js';
import type { TensorType } from './shape.js';

type RawValue = { kind: 'num'; v: number; text: string } | { kind: 'ident'; v: string } | { kind: 'str'; v: string } | { kind: 'sym'; v: string } | { kind: 'list'; v: RawValue[] };

/** A dimension or annotation: 0 or a decimal without leading zeros, sign, point or exponent. */
const CANONICAL_DIM = /^(?:0|[1-9]\d*)$/;
/** An integer attribute: as CANONICAL_DIM, optionally negative (-0 included: the printer writes what the builder stored). */
const CANONICAL_INT = /^-?(?:0|[1-9]\d*)$/;

export function parse(text: string, file = '<ir>'): Graph {
  return new Parser(tokenize(text, file), file).module();
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: readonly Token[],
    private readonly file: string,
  ) {}

  module(): Graph {
    const kernels: Graph[] = [];
    let graph: Graph | undefined;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind !== 'ident' || (t.text !== 'graph' && t.text !== 'kernel')) this.fail(t, `expected 'graph' or 'kernel', got ${describe(t)}`);
      const g = this.decl(t.text === 'graph' ? 'graph' : 'kernel');
      if (g.kind === 'kernel') {
        if (kernels.some((k) => k.name === g.name)) this.fail(t, `duplicate kernel @${g.name}`);
        kernels.push(g);
      } else {
        if (graph !== undefined) this.fail(t, 'more than one graph in the file');
        graph = g;
      }
    }
    if (graph === undefined) this.fail(this.peek(), 'no graph in the file');
    return { ...graph, kernels };
  }

  private decl(kind: 'graph' | 'kernel'): Graph {
    this.next();
    const name = this.expect('symbol', 'a @name').text;
    const scope = new Map<string, ValueId>();
    const types = new Map<ValueId, TensorType>();
    let nextId = 0;
    const inputs: GraphInput[] = [];
    this.punct('(');
    if (!this.atPunct(')')) {
      do {
        const tok = this.expect('value', 'a parameter %name');
        if (/^\d/.test(tok.text)) this.fail(tok, `parameter names must start with a letter or '_', got %${tok.text}`);
        if (scope.has(tok.text)) this.fail(tok, `duplicate parameter %${tok.text}`);
        this.punct(':');
        const type = this.type();
        let state = false;
        const annotations: Partial<Record<AnnotationKey, number>> = {};
        if (this.atPunct('{')) {
          this.next();
          do {
            const key = this.expect('ident', 'an attribute name');
            if (key.text === 'state') state = true;
            else if (isAnnotationKey(key.text)) {
              this.punct('=');
              annotations[key.text] = this.intValue();
            } else this.fail(key, `unknown parameter attribute '${key.text}' (expected state or ${['buf', 'offset', 'inplace'].join('/')})`);
          } while (this.eatPunct(','));
          this.punct('}');
        }
        const id = nextId++;
        scope.set(tok.text, id);
        types.set(id, type);
        const inp: GraphInput = { id, name: tok.text, type, state, pos: pos(tok) };
        inputs.push(Object.keys(annotations).length > 0 ? { ...inp, annotations } : inp);
      } while (this.eatPunct(','));
    }
    this.punct(')');
    this.punct('->');
    this.punct('(');
    const results: { name: string; updatesState: boolean; type: TensorType; tok: Token }[] = [];
    if (!this.atPunct(')')) {
      do {
        const tok = this.next();
        if (tok.kind !== 'value' && tok.kind !== 'ident') this.fail(tok, `expected a result name, got ${describe(tok)}`);
        this.punct(':');
        results.push({ name: tok.text, updatesState: tok.kind === 'value', type: this.type(), tok });
      } while (this.eatPunct(','));
    }
    this.punct(')');
    this.punct('{');
    const nodes: Node[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'ident' && t.text === 'return') break;
      const def = this.expect('value', "a '%value = op' line or 'return'");
      if (scope.has(def.text)) this.fail(def, `value %${def.text} is defined twice`);
      this.punct(':');
      const type = this.type();
      this.punct('=');
      const opTok = this.expect('ident', 'an op name');
      if (!isOpKind(opTok.text)) this.fail(opTok, `unknown op '${opTok.text}' (known: ${OP_KINDS.join(' ')})`);
      const op = opTok.text;
      const operands: ValueId[] = [];
      if (this.peek().kind === 'value') {
        do operands.push(this.use(scope));
        while (this.eatPunct(','));
      }
      const { attrs, annotations } = this.attrs(op, opTok);
      const id = nextId++;
      const node: Record<string, unknown> = { id, op, operands, attrs, type, pos: pos(def) };
      if (!/^\d+$/.test(def.text)) node['name'] = def.text;
      if (Object.keys(annotations).length > 0) node['annotations'] = annotations;
      nodes.push(node as unknown as Node);
      scope.set(def.text, id);
      types.set(id, type);
    }
    const retTok = this.next();
    const returned: { id: ValueId; tok: Token }[] = [];
    if (this.peek().kind === 'value') {
      do {
        const tok = this.peek();
        returned.push({ id: this.use(scope), tok });
      } while (this.eatPunct(','));
    }
    this.punct('}');
    if (returned.length !== results.length) this.fail(retTok, `return has ${returned.length} value(s) but the signature declares ${results.length}`);
    const outputs: GraphOutput[] = results.map((r, k) => {
      const ret = returned[k];
      if (ret === undefined) this.fail(retTok, 'missing return value');
      const t = types.get(ret.id);
      if (t !== undefined && (t.dtype !== r.type.dtype || t.shape.join() !== r.type.shape.join()))
        this.fail(ret.tok, `returned value %${ret.tok.text} does not match result ${r.name} type ${r.type.dtype}[${r.type.shape.join(',')}]`);
      return { value: ret.id, name: r.name, updatesState: r.updatesState };
    });
    return { kind, name, inputs, nodes, outputs, kernels: [] };
  }

  private attrs(op: Parameters<typeof opDefErased>[0], opTok: Token): { attrs: Record<string, AttrValue>; annotations: Record<string, number> } {
    const schema = opDefErased(op).attrs;
    const attrs: Record<string, AttrValue> = {};
    const annotations: Record<string, number> = {};
    if (this.atPunct('{')) {
      this.next();
      do {
        const key = this.expect('ident', 'an attribute name');
        this.punct('=');
        const kind = schema[key.text];
        if (kind !== undefined) {
          if (key.text in attrs) this.fail(key, `attribute '${key.text}' given twice`);
          const valTok = this.peek();
          attrs[key.text] = this.coerce(this.rawValue(), kind, key.text, op, valTok);
        } else if (isAnnotationKey(key.text)) annotations[key.text] = this.intValue();
        else {
          const expected = Object.keys(schema);
          this.fail(key, `${op}: unknown attribute '${key.text}' (expected ${expected.length > 0 ? expected.join(', ') : 'none'})`);
        }
      } while (this.eatPunct(','));
      this.punct('}');
    }
    for (const key of Object.keys(schema)) if (!(key in attrs)) this.fail(opTok, `${op}: missing attribute '${key}'`);
    return { attrs, annotations };
  }

  private coerce(raw: RawValue, kind: AttrKind, key: string, op: string, tok: Token): AttrValue {
    const bad = (want: string): never => this.fail(tok, `${op}: attribute '${key}' must be ${want}`);
    const num = (r: RawValue): number => (r.kind === 'num' ? r.v : bad('a number'));
    // Integers are written in canonical decimal (no 1e3, 02 or 2.0), so the text is the value.
    const int = (r: RawValue): number => {
      const v = num(r);
      return r.kind === 'num' && CANONICAL_INT.test(r.text) && Number.isSafeInteger(v) ? v : bad(`an integer in canonical decimal form, got ${r.kind === 'num' ? r.text : '?'}`);
    };
    const list = (r: RawValue): RawValue[] => (r.kind === 'list' ? r.v : bad('a list [..]'));
    // Which of the allowed strings it is, the verifier checks (at the node), as it checks every
    // other attribute value: ill-typed but well-formed IR parses, so dumps of bad graphs round-trip.
    if (isEnumAttrKind(kind)) return raw.kind === 'str' ? raw.v : bad(`a "string" (${formatEnumChoices(kind)})`);
    switch (kind) {
      case 'int':
        return int(raw);
      case 'float':
        return num(raw);
      case 'ints':
        return list(raw).map(int);
      case 'bool':
        return raw.kind === 'ident' && (raw.v === 'true' || raw.v === 'false') ? raw.v === 'true' : bad('true or false');
      case 'dtype':
        return raw.kind === 'ident' && isDType(raw.v) ? raw.v : bad('a dtype (f32, i32, u32, bool)');
      case 'symbol':
        return raw.kind === 'sym' ? raw.v : bad('a @symbol');
      case 'pairs':
        return list(raw).map((p) => {
          const xs = list(p).map(int);
          const [lo, hi] = xs;
          return xs.length === 2 && lo !== undefined && hi !== undefined ? ([lo, hi] as const) : bad('a list of [lo,hi] pairs');
        });
      case 'tensor':
        return raw.kind === 'num' ? raw.v : list(raw).map(num);
      default: {
        const never: never = kind;
        return never;
      }
    }
  }

  private rawValue(): RawValue {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'num', v: parseNumberToken(t.text), text: t.text };
      case 'ident':
        return { kind: 'ident', v: t.text };
      case 'string':
        return { kind: 'str', v: t.text };
      case 'symbol':
        return { kind: 'sym', v: t.text };
      case 'punct':
        if (t.text === '[') {
          const items: RawValue[] = [];
          if (!this.atPunct(']')) {
            do items.push(this.rawValue());
            while (this.eatPunct(','));
          }
          this.punct(']');
          return { kind: 'list', v: items };
        }
        break;
      case 'value':
      case 'eof':
        break;
      default: {
        const never: never = t.kind;
        return never;
      }
    }
    return this.fail(t, `expected an attribute value, got ${describe(t)}`);
  }

  private intValue(): number {
    const t = this.expect('number', 'an integer');
    const v = parseNumberToken(t.text);
    if (!Number.isSafeInteger(v) || v < 0 || !CANONICAL_DIM.test(t.text))
      this.fail(t, `expected a non-negative integer, got ${t.text} (plain decimal: no sign, point, exponent or leading zero)`);
    return v;
  }

  private type(): TensorType {
    const t = this.expect('ident', 'a type like f32[2,3]');
    if (!isDType(t.text)) this.fail(t, `unknown dtype '${t.text}' (expected f32, i32, u32 or bool)`);
    this.punct('[');
    const shape: number[] = [];
    if (!this.atPunct(']')) {
      do {
        const d = this.expect('number', 'a dimension size');
        const v = Number(d.text);
        if (!Number.isInteger(v) || v < 0) this.fail(d, `dimension sizes must be non-negative integers, got ${d.text}`);
        if (!CANONICAL_DIM.test(d.text)) this.fail(d, `dimension sizes are written as plain decimal integers (like 0, 7, 128), got ${d.text}`);
        if (!Number.isSafeInteger(v)) this.fail(d, `dimension size ${d.text} is too large`);
        shape.push(v);
      } while (this.eatPunct(','));
    }
    this.punct(']');
    return { dtype: t.text, shape };
  }

  private use(scope: Map<string, ValueId>): ValueId {
    const t = this.expect('value', 'an operand %value');
    const id = scope.get(t.text);
    if (id === undefined) this.fail(t, `use of undefined value %${t.text}`);
    return id;
  }

  private peek(): Token {
    return this.toks[this.i] ?? this.toks[this.toks.length - 1]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private atPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }
  private eatPunct(p: string): boolean {
    if (!this.atPunct(p)) return false;
    this.next();
    return true;
  }
  private punct(p: string): void {
    const t = this.peek();
    if (!this.eatPunct(p)) this.fail(t, `expected '${p}', got ${describe(t)}`);
  }
  private expect(kind: Token['kind'], what: string): Token {
    const t = this.peek();
    if (t.kind !== kind) this.fail(t, `expected ${what}, got ${describe(t)}`);
    return this.next();
  }
  private fail(t: Token, message: string): never {
    throw new KilnError({ message, file: this.file, pos: pos(t) });
  }
}

function pos(t: Token): IrPos {
  return { line: t.line, col: t.col };
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'value':
      return `%${t.text}`;
    case 'symbol':
      return `@${t.text}`;
    case 'string':
      return JSON.stringify(t.text);
    case 'ident':
    case 'number':
    case 'punct':
      return `'${t.text}'`;
    default: {
      const never: never = t.kind;
      return never;
    }
  }
}
