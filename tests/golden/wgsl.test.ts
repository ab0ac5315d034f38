// WGSL golden snapshots: the shader generateKernel writes for every op (each per-op graph of
// tests/golden/ir/ops/, outlined so each node is one kernel) and for a few fused-kernel shapes
// (tests/golden/wgsl/fused/*.kir after the fuse pass). Bless changed output with `vitest -u`.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OP_KINDS, parse } from '@kiln/ir';
import { fusePass, outline } from '@kiln/passes';
import { describe, expect, it } from 'vitest';
import { wgslSnapshot } from './wgsl-snapshot.js';

const OPS_DIR = fileURLToPath(new URL('./ir/ops/', import.meta.url));
const FUSED_DIR = fileURLToPath(new URL('./wgsl/fused/', import.meta.url));

describe('WGSL per op', () => {
  it('every op has a per-op graph to snapshot', () => {
    expect(OP_KINDS.filter((op) => !existsSync(`${OPS_DIR}${op}.kir`))).toEqual([]);
  });

  it.each([...OP_KINDS])('%s', async (op) => {
    const g = outline(parse(readFileSync(`${OPS_DIR}${op}.kir`, 'utf8'), `${op}.kir`));
    await expect(wgslSnapshot(g)).toMatchFileSnapshot(`./wgsl/ops/${op}.wgsl`);
  });
});

describe('WGSL of fused kernels', () => {
  const files = readdirSync(FUSED_DIR)
    .filter((f) => f.endsWith('.kir'))
    .sort();
  it.each(files)('%s', async (file) => {
    const g = fusePass.run(parse(readFileSync(FUSED_DIR + file, 'utf8'), file), {}).graph;
    await expect(wgslSnapshot(g)).toMatchFileSnapshot(`./wgsl/fused/${file.replace(/\.kir$/, '.wgsl')}`);
  });
});
