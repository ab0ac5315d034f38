// Every layout and source primitive (and call), outlined, on WebGPU vs the CPU interpreter.
import { describe } from 'vitest';
import { acquireDevice, harness } from './helpers.js';
import { opsOfFusion, primitiveTests } from './primitives.js';

const device = await acquireDevice();

describe.skipIf(device === undefined)('layout and source primitives: WebGPU vs CPU', () => {
  const h = device === undefined ? undefined : harness(device);
  primitiveTests(() => h!, opsOfFusion(['layout', 'source', 'call']));
});
