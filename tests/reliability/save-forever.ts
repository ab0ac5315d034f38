// Child of checkpoint-faults.test.ts: saves a 32 MB checkpoint to argv[2] over and over, saying
// 'saving' before the first, until it is killed (the test kills it mid-write).
import * as k from '@kiln/frontend';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: save-forever.ts <path>');
const big = new Float32Array(1 << 23).fill(0.5);
process.stdout.write('saving\n');
for (;;) await k.checkpoint.saveSafetensors(path, { w: { dtype: 'F32', shape: [big.length], data: big } });
