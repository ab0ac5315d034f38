// The total table of primitive parity cases: every registry op has at least one case, and the
// mapped type makes adding an op to the registry fail to compile here until it has cases.

import type { OpKind } from '@kiln/ir';
import type { PrimitiveCase } from './case-builder.js';
import { anchorCases } from './cases-anchors.js';
import { elementwiseCases } from './cases-elementwise.js';
import { layoutCases } from './cases-layout.js';

export const primitiveCases: { readonly [K in OpKind]: readonly PrimitiveCase[] } = {
  ...elementwiseCases,
  ...layoutCases,
  ...anchorCases,
};
