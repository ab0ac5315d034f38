// An independent checker for memory plans (used by tests and the fuzzer): every value has a
// buffer, arena blocks are aligned and never overlap while both are live, in-place is legal.

import { valueLabel, type Graph, type ValueId } from '@kiln/ir';
import { ARENA_ALIGNMENT, arenaBytesOf } from './arena.js';
import { canUpdateInPlace, scheduleIndex } from './liveness.js';

export function checkMemoryPlan(g: Graph): string[] {
  const problems: string[] = [];
  const kernels = new Map(g.kernels.map((k) => [k.name, k] as const));
  const schedule = scheduleIndex(g);
  const last = schedule.last;
  const inputBufs = new Map<number, ValueId>();
  for (const inp of g.inputs) {
    const buf = inp.annotations?.buf;
    if (buf === undefined) problems.push(`input %${inp.name} has no buffer`);
    else if (buf === 0 || inputBufs.has(buf)) problems.push(`input %${inp.name} shares buffer ${buf}`);
    else inputBufs.set(buf, inp.id);
  }
  const arena: { v: ValueId; from: number; to: number; lo: number; hi: number }[] = [];
  const ownBufs = new Map<number, ValueId>();
  g.nodes.forEach((n, i) => {
    const label = valueLabel(g, n.id);
    const a = n.annotations;
    if (a?.buf === undefined) {
      problems.push(`${label} has no buffer`);
      return;
    }
    if (a.buf === 0) {
      if (a.offset === undefined || a.offset % ARENA_ALIGNMENT !== 0) problems.push(`${label}: arena offset ${a.offset} is not ${ARENA_ALIGNMENT}-aligned`);
      else arena.push({ v: n.id, from: i, to: last.get(n.id) ?? i, lo: a.offset, hi: a.offset + arenaBytesOf(n.type) });
      if (g.outputs.some((o) => o.value === n.id)) problems.push(`${label} is an output but lives in the arena`);
      return;
    }
    if (a.inplace === 1) {
      const s = inputBufs.get(a.buf);
      const inp = g.inputs.find((x) => x.id === s);
      const out = g.outputs.find((o) => o.value === n.id && o.updatesState);
      if (inp === undefined || !inp.state || out === undefined || out.name !== inp.name) problems.push(`${label} is in place in buffer ${a.buf}, which is not its state's`);
      else if (!canUpdateInPlace(g, inp.id, n.id, kernels, schedule)) problems.push(`${label} overwrites %${inp.name} while it is still needed`);
      return;
    }
    if (inputBufs.has(a.buf) || ownBufs.has(a.buf)) problems.push(`${label} shares buffer ${a.buf}`);
    ownBufs.set(a.buf, n.id);
  });
  for (let i = 0; i < arena.length; i++)
    for (let j = i + 1; j < arena.length; j++) {
      const x = arena[i]!;
      const y = arena[j]!;
      const liveTogether = x.from <= y.to && y.from <= x.to;
      const overlap = x.lo < y.hi && y.lo < x.hi;
      if (liveTogether && overlap) problems.push(`${valueLabel(g, x.v)} and ${valueLabel(g, y.v)} overlap in the arena while both are live`);
    }
  return problems;
}
