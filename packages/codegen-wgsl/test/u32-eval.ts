// A tiny evaluator for the u32 index expressions codegen writes (literals `12u`, one variable,
// + - * / % and parentheses, wrapping mod 2^32), so index arithmetic can be checked on the CPU.

export function evalU32(expr: string, vars: Readonly<Record<string, number>>): number {
  const tokens = expr.match(/\d+u|[A-Za-z_][A-Za-z0-9_]*|[-+*/%()]/g) ?? [];
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const next = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error(`unexpected end of ${expr}`);
    return t;
  };
  const wrap = (x: number): number => ((x % 2 ** 32) + 2 ** 32) % 2 ** 32;
  function primary(): number {
    const t = next();
    if (t === '(') {
      const v = sum();
      if (next() !== ')') throw new Error(`expected ) in ${expr}`);
      return v;
    }
    if (/^\d+u$/.test(t)) return Number(t.slice(0, -1));
    const v = vars[t];
    if (v === undefined) throw new Error(`unknown variable ${t} in ${expr}`);
    return v;
  }
  function product(): number {
    let v = primary();
    for (let op = peek(); op === '*' || op === '/' || op === '%'; op = peek()) {
      next();
      const r = primary();
      v = op === '*' ? wrap(v * r) : op === '/' ? Math.floor(v / r) : v % r;
    }
    return v;
  }
  function sum(): number {
    let v = product();
    for (let op = peek(); op === '+' || op === '-'; op = peek()) {
      next();
      const r = product();
      v = wrap(op === '+' ? v + r : v - r);
    }
    return v;
  }
  const v = sum();
  if (pos !== tokens.length) throw new Error(`trailing tokens in ${expr}`);
  return v;
}
