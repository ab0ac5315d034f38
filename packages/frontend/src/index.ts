// @kiln/frontend — tracing user functions into Kiln IR: symbolic tensors with NumPy-style
// broadcasting, composites, parameters and layers, losses, and compile() to a runnable Step.
export { trace, DEFAULT_OUTPUT, type Traced, type TraceOptions, type TraceResult, type NamedType } from './trace.js';
export { f32, i32, u32, bool, spec, type TensorSpec } from './spec.js';
export { Tensor } from './tensor.js';
/** Prints a graph (e.g. `fn.lastCompiled.graph`, the optimized graph) as IR text. */
export { print as printGraph } from '@kiln/ir';
export { Variable, manualSeed, type VariableOptions } from './variable.js';
export { HostTensor, tensor, type TensorInput, type NestedArray, type NestedNumbers } from './host-tensor.js';
export {
  jit,
  type Inputs,
  type JitFunction,
  type JitOptions,
  type JitReturn,
  type JitReturnOf,
  type CompiledGraphs,
  type JitArgs,
  type JitOutputs,
  type JitChecks,
  type CompileInfo,
  type CacheInfo,
} from './jit.js';
export type { TensorLike } from './broadcast.js';
export type { Axes } from './axes.js';
export { TraceContext, currentTrace, activeTrace, withTrace, type ParamSpec, type StateOptions, type IndexCheck, type StaticRead, type VariableNamer } from './trace-context.js';
export { param, state, stateName, scope, layerScope, assign, randomKey, trainableParams, stateTensors, type ParamOptions } from './params.js';
export * as init from './init.js';
export { initialize, fansOf, SeededRandom, type Initializer, type InitArray, type Fans } from './init.js';
export { callerLoc } from './source-loc.js';

export * from './elementwise.js';
export { broadcastTo, broadcastShapes } from './broadcast.js';
export * from './layout.js';
export * from './reduce.js';
export { matmul } from './linalg.js';
export * from './creation.js';
export * from './activations.js';
export * from './ops.js';
export { conv, conv1d, conv2d, maxPool2d, avgPool2d, resolvePadding, type ConvOptions, type PoolOptions, type Padding } from './conv.js';
export * as nn from './nn-namespace.js';
export * as losses from './losses.js';
export { compile, type Step, type StepValue, type CompileOptions } from './compile.js';
export { BACKEND_CHOICES, type BackendChoice } from './devices.js';
// Autodiff (src/autodiff/**, src/transforms.ts: owned by the autodiff layer): grad, valueAndGrad,
// vjp, hvp, gradients inside a trace; graph-level gradGraph/vjpGraph, the VJP table, gradcheck.
export * from './transforms.js';
export * from './autodiff/index.js';
// Training (src/optim/**, src/layers/**: owned by the training layer): optimizers with in-graph
// schedules and clipping; recurrent, attention, normalisation and residual layers.
export * as optim from './optim/index.js';
// Host-side data helpers (seeded shuffling, batching, standardization) and safetensors checkpoints.
export * as data from './data/index.js';
// Training loops: fit() with validation, callbacks (early stopping, checkpoint on best) and progress.
export * as train from './train/index.js';
export * as checkpoint from './checkpoint/index.js';
export * as layers from './layers/index.js';
// ONNX models as modules (k.onnx.load) and export (k.onnx.save), over @kiln/onnx.
export * as onnx from './onnx.js';
