// Names that would print unparseable IR are rejected at build time, and results keyed by name cannot collide.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, KilnError, parse, verify, formatDiagnostic } from '@kiln/ir';

describe('names', () => {
  it('rejects output and graph names the lexer would not read back as names', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', { dtype: 'f32', shape: [1] });
    for (const bad of ['inf', 'nan', 'a b', '1x', '']) expect(() => b.output(x, bad)).toThrow(KilnError);
    expect(() => new GraphBuilder('g-1')).toThrow(/invalid graph name "@g-1"/);
  });

  it('rejects a plain output named like a state update', () => {
    const g = parse(`graph @g(%w: f32[1] {state}) -> (w: f32[1], %w: f32[1]) {
  %0: f32[1] = neg %w
  return %0, %0
}
`);
    const msgs = verify(g).map(formatDiagnostic);
    expect(msgs).toEqual(['error: output w has the same name as the state update %w']);
  });
});
