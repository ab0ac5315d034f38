// Limits on what an untrusted ONNX file may ask Kiln to allocate, checked before any allocation.

export interface OnnxLimits {
  /** Largest model or tensor file accepted. */
  readonly maxFileBytes: number;
  /** Largest element count of one tensor. */
  readonly maxTensorElements: number;
  /** Largest byte size of all initializers together. */
  readonly maxTotalBytes: number;
  readonly maxNodes: number;
  readonly maxRank: number;
  readonly maxGraphDepth: number;
}

export const DEFAULT_LIMITS: OnnxLimits = {
  maxFileBytes: 1 << 30,
  maxTensorElements: 1 << 28,
  maxTotalBytes: 1 << 30,
  maxNodes: 100_000,
  maxRank: 8,
  maxGraphDepth: 16,
};
