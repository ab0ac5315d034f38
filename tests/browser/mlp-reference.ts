// Node side of the browser training test: the MLP run of mlp.ts on WebGPU (Dawn) and on the CPU
// interpreter, printed as one JSON line (MlpReference) for global-setup.ts.

import { trainMlp, type MlpReference } from './mlp.js';

const reference: MlpReference = { webgpu: await trainMlp({ backend: 'webgpu' }), cpu: await trainMlp({ backend: 'cpu' }) };
process.stdout.write(`${JSON.stringify(reference)}\n`);
