// The ONNX op table: every ONNX op type Kiln imports, with the attributes its lowering handles.
// An op not listed here is reported as unsupported (by name and opset), never approximated.

import type { OpRule } from './node-ctx.js';
import { elementwiseRules } from './rules-elementwise.js';
import { lossRules } from './rules-loss.js';
import { nnRules } from './rules-nn.js';
import { reduceRules } from './rules-reduce.js';
import { resizeRules } from './rules-resize.js';
import { scatterRules } from './rules-scatter.js';
import { recurrentRules } from './rules-recurrent.js';
import { extraRules } from './rules-extra.js';
import { gridSampleRules } from './rules-gridsample.js';
import { spectralRules } from './rules-spectral.js';
import { moreRules } from './rules-more.js';
import { trainingRules } from './rules-training.js';
import { shapeRules } from './rules-shape.js';
import { SEQUENCE_RULES } from './sequences.js';
import { indexRules } from './rules-index.js';
import { dataShapedRules } from './rules-data-shaped.js';
import { textRules } from './rules-text.js';
import { roiAlignRules } from './rules-roialign.js';
import { nmsRules } from './rules-nms.js';

export const OP_RULES: Readonly<Record<string, OpRule>> = {
  ...elementwiseRules,
  ...shapeRules,
  ...indexRules,
  ...reduceRules,
  ...nnRules,
  ...lossRules,
  ...resizeRules,
  ...scatterRules,
  ...recurrentRules,
  ...extraRules,
  ...gridSampleRules,
  ...spectralRules,
  ...moreRules,
  ...dataShapedRules,
  ...textRules,
  ...roiAlignRules,
  ...nmsRules,
};

/** Default-domain ops the importer resolves itself at import time (control-flow.ts, optionals.ts). */
export const GRAPH_LEVEL_OPS = ['If', 'Loop', 'Scan', 'SequenceMap', 'Optional', 'OptionalHasElement', 'OptionalGetElement'] as const;

/** Every default-domain op type Kiln imports: the lowering table, the sequence ops and the graph-level ones. */
export function supportedOnnxOps(): string[] {
  return [...new Set([...Object.keys(OP_RULES), ...Object.keys(SEQUENCE_RULES), ...GRAPH_LEVEL_OPS])].sort();
}

/** Ops of the ai.onnx.preview.training domain. */
export const TRAINING_RULES: Readonly<Record<string, OpRule>> = trainingRules;
