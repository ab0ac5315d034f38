// Example support: a synthetic graph with community structure for the GCN example (a stochastic
// block model with noisy per-community node features), and the GCN's normalised adjacency
// Â = D^-1/2 (A + I) D^-1/2 as weighted edge lists (for gather/scatter_add) or a dense matrix.

import * as kiln from '@kiln/frontend';

export interface CommunityGraphOptions {
  readonly nodes?: number;
  readonly communities?: number;
  /** Edge probability between two nodes of the same community. */
  readonly pIn?: number;
  /** Edge probability across communities (≪ pIn, so edges carry label information). */
  readonly pOut?: number;
  readonly featureDim?: number;
  /** Std of the feature noise around the community centroid (whose entries are standard normal). */
  readonly featureNoise?: number;
  readonly seed: number;
}

export interface EdgeList {
  /** Directed edges src[e] → dst[e]; an undirected graph lists both directions. */
  readonly src: Int32Array;
  readonly dst: Int32Array;
}

export interface CommunityGraph {
  readonly n: number;
  readonly numClasses: number;
  /** n × featureDim. */
  readonly features: Float32Array;
  /** Community of each node: node i is in community i mod communities. */
  readonly labels: Int32Array;
  /** Undirected edges (each listed in both directions), no self loops. */
  readonly edges: EdgeList;
}

export function communityGraph(options: CommunityGraphOptions): CommunityGraph {
  const { nodes: n = 120, communities = 3, pIn = 0.15, pOut = 0.01, featureDim = 16, featureNoise = 1.5, seed } = options;
  const rng = kiln.data.Rng.fromSeed(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % communities);
  const centroids = Float32Array.from({ length: communities * featureDim }, () => rng.normal());
  const features = new Float32Array(n * featureDim);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    for (let f = 0; f < featureDim; f++) features[i * featureDim + f] = centroids[c * featureDim + f]! + featureNoise * rng.normal();
  }
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (rng.float() < (labels[i] === labels[j] ? pIn : pOut)) {
        src.push(i, j);
        dst.push(j, i);
      }
    }
  }
  return { n, numClasses: communities, features, labels, edges: { src: Int32Array.from(src), dst: Int32Array.from(dst) } };
}

export interface WeightedEdgeList extends EdgeList {
  readonly weight: Float32Array;
}

/**
 * The GCN propagation matrix as weighted edges, self loops first: out[dst] += weight · h[src], with
 * weight = 1 / sqrt(deg(src) · deg(dst)) and degrees counted in A + I. Expects a symmetric edge list.
 */
export function gcnNormalizedEdges(n: number, edges: EdgeList): WeightedEdgeList {
  const degree = new Float64Array(n).fill(1);
  for (const d of edges.dst) degree[d]! += 1;
  const m = n + edges.src.length;
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const weight = new Float32Array(m);
  for (let i = 0; i < n; i++) {
    src[i] = i;
    dst[i] = i;
    weight[i] = 1 / degree[i]!;
  }
  for (let e = 0; e < edges.src.length; e++) {
    const s = edges.src[e]!;
    const d = edges.dst[e]!;
    src[n + e] = s;
    dst[n + e] = d;
    weight[n + e] = 1 / Math.sqrt(degree[s]! * degree[d]!);
  }
  return { src, dst, weight };
}

/** Â as a dense row-major n × n matrix (row = destination), for small graphs and a matmul-based GCN. */
export function gcnNormalizedAdjacency(n: number, edges: EdgeList): Float32Array {
  const { src, dst, weight } = gcnNormalizedEdges(n, edges);
  const a = new Float32Array(n * n);
  for (let e = 0; e < src.length; e++) a[dst[e]! * n + src[e]!]! += weight[e]!;
  return a;
}
