// The CPU Backend (over the reference evaluator, which lives in @kiln/ir and is re-exported here
// so `interpret` and host tensors stay reachable from the runtime as before).
export {
  allocateArray,
  hasArrayKind,
  zeros,
  hostTensor,
  storeConverted,
  toI32,
  toU32,
  floatToI32,
  floatToU32,
  convertScalar,
  toNumberArray,
  toHostTensor,
  isHostTensor,
  evalRules,
  interpret,
  runGraph,
  evaluateNode,
  kernelMap,
  type HostArray,
  type HostTensor,
  type Precision,
  type HostInput,
  type EvalContext,
  type EvalRule,
  type InterpretOptions,
} from '@kiln/ir';
export * from './cpu-backend.js';
export * from './non-finite.js';
export { CpuStateStore, copyHostTensor } from './cpu-state.js';
