// Every anchor primitive (reductions, matmul, conv, windows, gather, scatter), outlined, on
// WebGPU vs the CPU interpreter.
import { describe } from 'vitest';
import { acquireDevice, harness } from './helpers.js';
import { opsOfFusion, primitiveTests } from './primitives.js';

const device = await acquireDevice();

describe.skipIf(device === undefined)('anchor primitives: WebGPU vs CPU', () => {
  const h = device === undefined ? undefined : harness(device);
  primitiveTests(() => h!, opsOfFusion(['reduction', 'matmul', 'conv', 'window', 'gather', 'scatter']));
});
