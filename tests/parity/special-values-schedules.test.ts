// Special values (NaN, ±Inf, ±0) through every f32 elementwise op and the fast-math patterns under
// each kind of elementwise schedule — one element per invocation, several, vec4 — on WebGPU after
// the default pipeline, against the IEEE / C99 reference: the vec4 helpers must deviate nowhere.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, parse, type Graph } from '@kiln/ir';
import { elementwiseScheduleLabel, type ElementwiseSchedule } from '@kiln/codegen-wgsl';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { createWebGpuBackend } from '@kiln/runtime';
import { acquireDevice } from './helpers.js';
import { BINARY, PATTERNS, SPECIAL, UNARY, agrees, fmt, opCases, opGraph, type BinaryOp, type UnaryOp } from './special-values.js';

const device = await acquireDevice();

/** SPECIAL padded to 16 elements, so unary kernels can take vec4. */
const XS = [...SPECIAL, 0.25, -7];
const RTOL: Partial<Record<UnaryOp | BinaryOp, number>> = { erf: 1e-3, sin: Infinity, cos: Infinity };

const SCHEDULES: readonly ElementwiseSchedule[] = [
  { kind: 'elementwise', perThread: 1, order: 'strided', vec4: false, workgroup: 64 },
  { kind: 'elementwise', perThread: 4, order: 'strided', vec4: false, workgroup: 64 },
  { kind: 'elementwise', perThread: 4, order: 'blocked', vec4: false, workgroup: 64 },
  { kind: 'elementwise', perThread: 4, order: 'strided', vec4: true, workgroup: 64 },
  { kind: 'elementwise', perThread: 8, order: 'strided', vec4: true, workgroup: 32 },
  { kind: 'elementwise', perThread: 16, order: 'blocked', vec4: true, workgroup: 32 },
];

function unaryGraph(op: UnaryOp): Graph {
  const b = new GraphBuilder(`special16_${op}`);
  b.output(b.add(op, [b.input('x', { dtype: 'f32', shape: [XS.length] })], {}), 'r');
  return b.build();
}

const patternGraph = (p: (typeof PATTERNS)[number]): Graph =>
  parse(`graph @pattern(%x: f32[${XS.length}]) -> (r: f32[${XS.length}]) {\n  ${p.ir.replaceAll('N', String(XS.length))}\n  return %r\n}\n`);

interface Case {
  readonly name: string;
  readonly graph: Graph;
  readonly inputs: Record<string, number[]>;
  readonly want: readonly { label: string; want: number }[];
  readonly rtol: number;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const op of Object.keys(UNARY) as UnaryOp[]) {
    const ref = UNARY[op];
    out.push({
      name: op,
      graph: unaryGraph(op),
      inputs: { x: XS },
      want: XS.map((x) => ({ label: `${op}(${fmt(x)})`, want: Math.fround(ref(Math.fround(x))) })),
      rtol: RTOL[op] ?? 1e-4,
    });
  }
  for (const op of Object.keys(BINARY) as BinaryOp[]) {
    const { inputs, checks } = opCases(op);
    out.push({ name: op, graph: opGraph(op), inputs, want: checks, rtol: RTOL[op] ?? 1e-4 });
  }
  for (const p of PATTERNS)
    out.push({ name: p.name, graph: patternGraph(p), inputs: { x: XS }, want: XS.map((x) => ({ label: `x=${fmt(x)}`, want: Math.fround(p.ref(Math.fround(x))) })), rtol: 1e-6 });
  return out;
}

describe.skipIf(device === undefined)('special values under every kind of elementwise schedule', () => {
  it.each(SCHEDULES.map((s) => [elementwiseScheduleLabel(s), s] as const))('%s', async (_label, schedule) => {
    const backend = createWebGpuBackend({ device: device!, codegen: { elementwise: schedule } });
    const bad: string[] = [];
    let checked = 0;
    for (const c of cases()) {
      const exe = await backend.compile(runPipeline(c.graph, DEFAULT_PIPELINE).graph, { tune: 'off' });
      try {
        // Every case has 4k elements, so a vec4 schedule must run as vec4 wherever the output is f32.
        const f32Out = c.graph.nodes.find((n) => n.id === c.graph.outputs[0]?.value)?.type.dtype === 'f32';
        for (const k of exe.kernels) expect(/-v4(-b)?$/.test(k.template), `${c.name}: ${k.template}`).toBe(schedule.vec4 && f32Out);
        const got = (await exe.run(c.inputs))['r']!.data;
        c.want.forEach((w, i) => {
          checked++;
          if (!agrees(got[i] ?? NaN, w.want, c.rtol)) bad.push(`${c.name}: ${w.label} = ${fmt(got[i] ?? NaN)}, IEEE/C99 ${fmt(w.want)}`);
        });
      } finally {
        exe.dispose();
      }
    }
    expect(checked).toBeGreaterThan(2000);
    expect(bad).toEqual([]);
  });
});
