// k.onnx in browser bundles: the ONNX codec (protobufjs and the importer, ~50 KB gzipped) is left
// out of the bundle's size budget; these stand-ins say so. Type-only imports are erased.
import { KilnError } from '@kiln/ir';
import type { decodeModel as Decode, exportGraph as Export, importModel as Import } from '@kiln/onnx';

function absent(): never {
  throw new KilnError({ message: 'k.onnx is not in the browser bundle (it would exceed the size budget); import @kiln/onnx and @kiln/frontend as packages, or use Node' });
}
export const decodeModel: typeof Decode = () => absent();
export const importModel: typeof Import = () => absent();
export const exportGraph: typeof Export = () => absent();
