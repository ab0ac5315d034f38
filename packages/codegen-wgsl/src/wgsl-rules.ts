// The total WGSL rule table: every registry op maps to its lowering (an elementwise expression,
// a layout index remapping, a source body, or the template that computes an anchor). Adding an
// op to the registry fails to compile here until its lowering is written.

import type { OpKind } from '@kiln/ir';
import type { WgslRule } from './rules/rule.js';
import { elementwiseRules } from './rules/elementwise-rules.js';
import { layoutRules } from './rules/layout-rules.js';
import { sourceRules } from './rules/source-rules.js';

export const wgslRules: { readonly [K in OpKind]: WgslRule<K> } = {
  ...elementwiseRules,
  ...layoutRules,
  ...sourceRules,
  reduce_sum: { kind: 'anchor', template: 'reduction' },
  reduce_max: { kind: 'anchor', template: 'reduction' },
  reduce_min: { kind: 'anchor', template: 'reduction' },
  argmax: { kind: 'anchor', template: 'reduction' },
  argmin: { kind: 'anchor', template: 'reduction' },
  matmul: { kind: 'anchor', template: 'matmul' },
  conv: { kind: 'anchor', template: 'conv' },
  reduce_window: { kind: 'anchor', template: 'window' },
  select_and_scatter_add: { kind: 'anchor', template: 'window' },
  gather: { kind: 'anchor', template: 'gather' },
  scatter_add: { kind: 'anchor', template: 'scatter' },
};

export function ruleFor<K extends OpKind>(op: K): WgslRule<K> {
  return wgslRules[op];
}
