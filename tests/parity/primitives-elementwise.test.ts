// Every elementwise primitive, outlined, on WebGPU vs the CPU interpreter
// (the reference semantics).
import { describe } from 'vitest';
import { acquireDevice, harness } from './helpers.js';
import { opsOfFusion, primitiveTests } from './primitives.js';

const device = await acquireDevice();

describe.skipIf(device === undefined)('elementwise primitives: WebGPU vs CPU', () => {
  const h = device === undefined ? undefined : harness(device);
  primitiveTests(() => h!, opsOfFusion(['elementwise']));
});
