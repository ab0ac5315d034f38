// Workgroup grids: counts past the per-dimension limit split over y (and z) with little waste.

import { describe, expect, it } from 'vitest';
import { linearWorkgroupExpr, splitWorkgroups } from '../src/dispatch.js';
import { evalU32 } from './u32-eval.js';

describe('splitWorkgroups', () => {
  it('keeps small counts one-dimensional', () => {
    expect(splitWorkgroups(0, 65535)).toEqual([0, 1, 1]);
    expect(splitWorkgroups(65535, 65535)).toEqual([65535, 1, 1]);
  });

  it('covers large counts within the limit, wasting less than one row', () => {
    for (const total of [65536, 65535 * 2 + 1, 1_000_003, 65535 * 65535 + 7]) {
      const [x, y, z] = splitWorkgroups(total, 65535);
      expect(Math.max(x, y, z)).toBeLessThanOrEqual(65535);
      expect(x * y * z).toBeGreaterThanOrEqual(total);
      expect(x * y * z - total).toBeLessThan(x * y);
    }
  });

  it('the shader linearisation visits 0..x*y*z-1 exactly once', () => {
    const grid = splitWorkgroups(23, 4);
    const expr = linearWorkgroupExpr(grid).replace(/wid\.([xyz])/g, 'w$1');
    const seen = new Set<number>();
    for (let wz = 0; wz < grid[2]; wz++) for (let wy = 0; wy < grid[1]; wy++) for (let wx = 0; wx < grid[0]; wx++) seen.add(evalU32(expr, { wx, wy, wz }));
    expect(seen.size).toBe(grid[0] * grid[1] * grid[2]);
    expect(Math.max(...seen)).toBe(seen.size - 1);
  });
});
