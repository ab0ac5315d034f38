// sin and cos on the device (Kiln's own range-reduced WGSL, not the builtins) against f64
// Math.sin/Math.cos on a dense grid: the driver must not undo the Cody–Waite reduction. Runs on
// Dawn in Node (llvmpipe) and in Chromium (SwiftShader) through pnpm test:browser.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Graph } from '@kiln/ir';
import { createWebGpuBackend } from '@kiln/runtime';
import { testDevice } from './device.js';

const device = await testDevice();
const N = 1 << 16;

function unary(op: 'sin' | 'cos'): Graph {
  const b = new GraphBuilder(`${op}_grid`);
  const x = b.input('x', { dtype: 'f32', shape: [N] });
  b.output(b.add(op, [x], {}), 'out');
  return b.build();
}

/** N f32 points: half evenly on [-4, 4], half on [-1e4, 1e4]. */
function grid(): Float32Array {
  const xs = new Float32Array(N);
  for (let i = 0; i < N / 2; i++) xs[i] = -4 + (8 * i) / (N / 2);
  for (let i = N / 2; i < N; i++) xs[i] = -1e4 + (2e4 * (i - N / 2)) / (N / 2);
  return xs;
}

describe.skipIf(device === undefined)('sin/cos accuracy on the device', () => {
  const backend = createWebGpuBackend({ device: device! });
  for (const op of ['sin', 'cos'] as const)
    it(`${op}: max |error| ≤ 2.5e-7 on [-4, 4] and [-1e4, 1e4]; NaN for ±Inf`, async () => {
      const xs = grid();
      const exe = await backend.compile(unary(op));
      try {
        const got = (await exe.run({ x: xs })).out!.data;
        let worst = 0;
        let where = 0;
        for (let i = 0; i < N; i++) {
          const x = xs[i]!;
          const err = Math.abs(got[i]! - Math.fround(op === 'sin' ? Math.sin(x) : Math.cos(x)));
          if (!(err <= worst)) [worst, where] = [err, x];
        }
        console.log(`${op} on ${device!.description}: max |error| ${worst.toExponential(2)} at x = ${where}`);
        expect(worst, `worst at x = ${where}`).toBeLessThanOrEqual(2.5e-7);
        const special = await exe.run({ x: new Float32Array(N).fill(Infinity).fill(-Infinity, 1, 2).fill(Number.NaN, 2, 3) });
        for (let i = 0; i < 3; i++) expect(special.out!.data[i]).toBeNaN();
      } finally {
        exe.dispose();
      }
    });
});
