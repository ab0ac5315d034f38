// Lowering of NonMaxSuppression: how many boxes it selects depends on the boxes and scores, and
// Kiln shapes are static, so all its inputs must be known at import time (initializers, constants,
// or graph inputs bound with staticInputs); the selection then runs on the host and the result is a
// constant [selected, 3] of (batch, class, box) indices, in the spec's order.

import { elementAt, numel } from '@kiln/ir';
import type { NodeCtx, OpRule } from './node-ctx.js';

type Box = readonly [number, number, number, number]; // y1, x1, y2, x2 with y1 <= y2, x1 <= x2

function iou(a: Box, b: Box): number {
  const areaA = (a[2] - a[0]) * (a[3] - a[1]);
  const areaB = (b[2] - b[0]) * (b[3] - b[1]);
  if (areaA <= 0 || areaB <= 0) return 0;
  const h = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const w = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = h * w;
  return inter / (areaA + areaB - inter);
}

/** An optional scalar input, or `dflt` when the input is absent. */
function scalarOr(c: NodeCtx, i: number, what: string, dflt: number): number {
  return c.has(i) ? c.staticScalar(i, what) : dflt;
}

export const nmsRules: Readonly<Record<string, OpRule>> = {
  NonMaxSuppression: {
    attrs: ['center_point_box'],
    lower: (c) => {
      const boxes = c.static(0, 'boxes');
      const scores = c.static(1, 'scores');
      const [B, N, four] = boxes.dims;
      const [B2, C, N2] = scores.dims;
      if (boxes.dims.length !== 3 || four !== 4 || scores.dims.length !== 3 || B !== B2 || N !== N2 || B === undefined || N === undefined || C === undefined)
        throw c.error(`boxes must be [B, N, 4] and scores [B, C, N], got [${boxes.dims.join(', ')}] and [${scores.dims.join(', ')}]`);
      if (numel(boxes.dims) !== boxes.values.length || numel(scores.dims) !== scores.values.length) throw c.error('boxes or scores hold the wrong number of values');
      const maxPerClass = Math.trunc(scalarOr(c, 2, 'max_output_boxes_per_class', 0));
      const iouThreshold = scalarOr(c, 3, 'iou_threshold', 0);
      const scoreThreshold = c.has(4) ? c.staticScalar(4, 'score_threshold') : undefined;
      const centerPoint = c.int('center_point_box', 0) !== 0;
      const box = (b: number, n: number): Box => {
        const v = (k: number): number => elementAt(boxes.values, (b * N + n) * 4 + k, 'NonMaxSuppression boxes');
        if (centerPoint) {
          const [xc, yc, w, h] = [v(0), v(1), v(2), v(3)];
          return [yc - h / 2, xc - w / 2, yc + h / 2, xc + w / 2];
        }
        return [Math.min(v(0), v(2)), Math.min(v(1), v(3)), Math.max(v(0), v(2)), Math.max(v(1), v(3))];
      };
      const selected: number[] = [];
      for (let b = 0; b < B; b++)
        for (let k = 0; k < C; k++) {
          const score = (n: number): number => elementAt(scores.values, (b * C + k) * N + n, 'NonMaxSuppression scores');
          // Highest score first; equal scores keep box order (a stable sort).
          const order = Array.from({ length: N }, (_, n) => n)
            .filter((n) => scoreThreshold === undefined || score(n) > scoreThreshold)
            .sort((p, q) => score(q) - score(p));
          const kept: number[] = [];
          for (const n of order) {
            if (kept.length >= maxPerClass) break;
            if (kept.every((m) => iou(box(b, m), box(b, n)) <= iouThreshold)) kept.push(n);
          }
          for (const n of kept) selected.push(b, k, n);
        }
      if (selected.length === 0) throw c.unsupported('NonMaxSuppression selecting no box (an empty result)');
      return [c.e.constant('i32', [selected.length / 3, 3], selected)];
    },
  },
};
