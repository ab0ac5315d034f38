// Workgroup grids: a linear count of workgroups split over x/y/z so no dimension exceeds the
// device's per-dimension limit (65535); shaders linearise the id back and guard the overshoot.

export type Grid = readonly [number, number, number];

/** Smallest-waste [x, y, z] with x·y·z >= total and every entry <= maxPerDim. */
export function splitWorkgroups(total: number, maxPerDim: number): Grid {
  if (!Number.isInteger(total) || total < 0) throw new Error(`internal: workgroup count ${total}`);
  if (total <= maxPerDim) return [total, 1, 1];
  const z = Math.ceil(total / (maxPerDim * maxPerDim));
  if (z > maxPerDim) throw new Error(`${total} workgroups exceed ${maxPerDim}^3`);
  const perZ = Math.ceil(total / z);
  const y = Math.ceil(perZ / maxPerDim);
  const x = Math.ceil(perZ / y);
  return [x, y, z];
}

/** WGSL u32 expression for the linear workgroup index of `wid` (a vec3<u32>) in `grid`. */
export function linearWorkgroupExpr(grid: Grid, wid = 'wid'): string {
  const [x, y, z] = grid;
  if (z > 1) return `((${wid}.z * ${y}u + ${wid}.y) * ${x}u + ${wid}.x)`;
  if (y > 1) return `(${wid}.y * ${x}u + ${wid}.x)`;
  return `${wid}.x`;
}
