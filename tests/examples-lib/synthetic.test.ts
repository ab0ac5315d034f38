// Example support: seeded synthetic datasets and the GCN adjacency normalisation.
import { describe, it, expect } from 'vitest';
import { blobs, communityGraph, gaussianMixture2d, gcnNormalizedAdjacency, gcnNormalizedEdges, linearData, twoMoons } from '../../examples/lib/datasets.js';

describe('synthetic generators', () => {
  it('are deterministic in the seed', () => {
    expect(linearData({ n: 20, features: 3, seed: 1 })).toEqual(linearData({ n: 20, features: 3, seed: 1 }));
    expect(twoMoons({ n: 20, seed: 1 }).x).not.toEqual(twoMoons({ n: 20, seed: 2 }).x);
    expect(communityGraph({ seed: 4 })).toEqual(communityGraph({ seed: 4 }));
  });

  it('linearData: y is x · w + b up to the noise', () => {
    const d = linearData({ n: 200, features: 3, outputs: 2, noise: 0, seed: 3 });
    expect(d.x.length).toBe(600);
    expect(d.y.length).toBe(400);
    for (let i = 0; i < d.n; i++) {
      for (let o = 0; o < 2; o++) {
        let want = d.bias[o]!;
        for (let f = 0; f < 3; f++) want += d.x[i * 3 + f]! * d.weights[f * 2 + o]!;
        expect(d.y[i * 2 + o]).toBeCloseTo(want, 4);
      }
    }
  });

  it('twoMoons and blobs give balanced labelled points near their shapes', () => {
    const m = twoMoons({ n: 400, noise: 0, seed: 5 });
    for (let i = 0; i < m.n; i++) {
      const [x, y] = [m.x[2 * i]!, m.x[2 * i + 1]!];
      // Class 0 lies on the unit upper half circle; class 1 on the circle centred at (1, 0.5).
      const r = m.labels[i] === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
      expect(r).toBeCloseTo(1, 5);
    }
    const b = blobs({ n: 300, centers: 3, std: 0.1, seed: 6 });
    expect(b.numClasses).toBe(3);
    for (let i = 0; i < b.n; i++) {
      const c = b.labels[i]!;
      expect(Math.hypot(b.x[2 * i]! - b.centers[2 * c]!, b.x[2 * i + 1]! - b.centers[2 * c + 1]!)).toBeLessThan(0.6);
    }
  });

  it('gaussianMixture2d puts every mode on the ring and uses them all', () => {
    const g = gaussianMixture2d({ n: 2000, modes: 8, radius: 2, std: 0.02, seed: 7 });
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < g.n; i++) {
      const j = g.modes[i]!;
      counts[j]! += 1;
      expect(Math.hypot(g.points[2 * i]!, g.points[2 * i + 1]!)).toBeGreaterThan(1.85);
      expect(Math.hypot(g.points[2 * i]! - g.centers[2 * j]!, g.points[2 * i + 1]! - g.centers[2 * j + 1]!)).toBeLessThan(0.15);
    }
    for (const c of counts) expect(c).toBeGreaterThan(150);
  });

  it('communityGraph: symmetric, loop-free, mostly within-community edges', () => {
    const g = communityGraph({ nodes: 90, communities: 3, pIn: 0.2, pOut: 0.01, featureDim: 4, seed: 8 });
    expect(g.features.length).toBe(90 * 4);
    const key = (a: number, b: number): string => `${a},${b}`;
    const set = new Set<string>();
    let within = 0;
    for (let e = 0; e < g.edges.src.length; e++) {
      const [s, d] = [g.edges.src[e]!, g.edges.dst[e]!];
      expect(s).not.toBe(d);
      set.add(key(s, d));
      if (g.labels[s] === g.labels[d]) within += 1;
    }
    for (let e = 0; e < g.edges.src.length; e++) expect(set.has(key(g.edges.dst[e]!, g.edges.src[e]!))).toBe(true);
    expect(within / g.edges.src.length).toBeGreaterThan(0.8);
  });

  it('GCN normalisation of a 3-node path matches D^-1/2 (A + I) D^-1/2 by hand', () => {
    // Path 0 - 1 - 2: degrees with self loops are 2, 3, 2.
    const edges = { src: Int32Array.of(0, 1, 1, 2), dst: Int32Array.of(1, 0, 2, 1) };
    const a = gcnNormalizedAdjacency(3, edges);
    const s6 = 1 / Math.sqrt(6);
    const expected = [1 / 2, s6, 0, s6, 1 / 3, s6, 0, s6, 1 / 2];
    expected.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 6));
    expect(gcnNormalizedEdges(3, edges).src.length).toBe(7);
  });
});
