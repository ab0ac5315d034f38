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
import { indexRules } from './rules-index.js';
import { dataShapedRules } from './rules-data-shaped.js';

export const OP_RULES: Readonly<Record<string, OpRule>> = { ...elementwiseRules, ...shapeRules, ...indexRules, ...reduceRules, ...nnRules, ...lossRules, ...resizeRules, ...scatterRules, ...recurrentRules, ...extraRules, ...gridSampleRules, ...spectralRules, ...moreRules, ...dataShapedRules };

export function supportedOnnxOps(): string[] {
  return Object.keys(OP_RULES).sort();
}

/** Ops of the ai.onnx.preview.training domain. */
export const TRAINING_RULES: Readonly<Record<string, OpRule>> = trainingRules;
