// The importer's public types: the options of importModel (what must be fixed at import time:
// static inputs, shapes, sequence and optional bindings) and the imported model it returns.

import type { Graph, TensorType } from '@kiln/ir';
import type { OnnxLimits } from '../limits.js';
import type { ExternalReader, KilnTensor } from '../tensor-data.js';

export interface ImportOptions {
  readonly limits?: OnnxLimits;
  /** Reads external-data files (see nodeExternalReader); without it external data is an error. */
  readonly external?: ExternalReader;
  /** Graph inputs replaced by these constant values (for inputs Kiln needs static: shapes, axes). */
  readonly staticInputs?: Readonly<Record<string, KilnTensor>>;
  /** Concrete shapes for inputs whose ONNX shape has symbolic or unknown dims. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** The item shapes of sequence-valued graph inputs: each becomes one Kiln input per item. */
  readonly sequenceInputs?: Readonly<Record<string, readonly (readonly number[])[]>>;
  /** Whether each optional graph input holds a value, and its shape (or item shapes): fixed at import. */
  readonly optionalInputs?: Readonly<Record<string, OptionalBinding>>;
  /** 'state' (default): initializers are state inputs (parameters); 'constant': constant nodes (a self-contained graph). */
  readonly initializers?: 'state' | 'constant';
  /** Graph name (default: the ONNX graph's name, sanitized, or "onnx"). */
  readonly name?: string;
}

/** An optional graph input at import: absent, a tensor of this shape, or a sequence of these items. */
export type OptionalBinding =
  { readonly kind: 'none' } | { readonly kind: 'tensor'; readonly shape: readonly number[] } | { readonly kind: 'sequence'; readonly items: readonly (readonly number[])[] };

export interface ImportedParam {
  /** Kiln state input name. */
  readonly name: string;
  readonly onnxName: string;
  readonly value: KilnTensor;
  /** True for float initializers (the ones an optimizer may train). */
  readonly float: boolean;
}

export interface ImportedValue {
  readonly name: string;
  readonly onnxName: string;
  readonly type: TensorType;
  /** ONNX element type code (INT64 values run as i32). */
  readonly onnxType: number;
  /** For a sequence-valued ONNX input or output (`onnxName`): this value's position in it. */
  readonly item?: number;
}

export interface ImportedModel {
  readonly graph: Graph;
  readonly inputs: readonly ImportedValue[];
  readonly outputs: readonly ImportedValue[];
  readonly params: readonly ImportedParam[];
  readonly opset: number;
}
