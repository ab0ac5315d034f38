// Modules: Conv1d and Conv2d — channels-last convolutions (NLC / NHWC inputs, kernels
// [*K, inC/groups, outC]) with the options and initializers of k.nn.conv1d / k.nn.conv2d.

import type { ConvOptions } from '../conv.js';
import { glorotUniform, zeros, type Initializer } from '../init.js';
import { conv1dApply, conv2dApply, convKernelShape } from '../nn.js';
import type { Tensor } from '../tensor.js';
import { Parameter } from '../variable.js';
import { expectShape, requireSize } from './checks.js';
import { Module } from './module.js';

/** Weight and bias options common to both convolutions. */
export interface ConvWeightOptions {
  /** Dilation of the kernel: spacing between the input positions it reads (default 1). */
  readonly dilation?: number;
  /** Split the channels into this many independent groups (default 1; `inChannels` and `outChannels` must divide by it; inChannels groups is depthwise). */
  readonly groups?: number;
  /** Learn a bias [outChannels] (default true). */
  readonly bias?: boolean;
  /** Kernel initializer (default Glorot uniform over the receptive field, as the functional form). */
  readonly weightInit?: Initializer;
  /** Bias initializer (default zeros). */
  readonly biasInit?: Initializer;
}

export interface Conv2dOptions extends Omit<ConvWeightOptions, 'dilation'> {
  /** Step between windows, one for both dims or [sh, sw] (default 1). */
  readonly stride?: number | readonly [number, number];
  /** 'valid' (default: no padding), 'same' (ceil(size / stride) outputs) or explicit [[top, bottom], [left, right]]. */
  readonly padding?: 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]];
  /** Kernel dilation, one for both dims or [dh, dw] (default 1). */
  readonly dilation?: number | readonly [number, number];
}

export interface Conv1dOptions extends ConvWeightOptions {
  /** Step between windows (default 1). */
  readonly stride?: number;
  /** 'valid' (default), 'same', 'causal' (pad only at the start, so output t sees inputs ≤ t) or explicit [[left, right]]. */
  readonly padding?: 'valid' | 'same' | 'causal' | readonly [readonly [number, number]];
}

function convOptions(opts: Conv2dOptions | Conv1dOptions): ConvOptions {
  return {
    ...(opts.stride !== undefined ? { stride: opts.stride } : {}),
    ...(opts.padding !== undefined ? { padding: opts.padding } : {}),
    ...(opts.dilation !== undefined ? { dilation: opts.dilation } : {}),
    ...(opts.groups !== undefined ? { groups: opts.groups } : {}),
  };
}

/** 2-D convolution over NHWC images: x [N, H, W, inChannels] → [N, H', W', outChannels]. */
export class Conv2d extends Module {
  /** [KH, KW, inChannels / groups, outChannels] */
  readonly weight: Parameter;
  /** [outChannels], absent with `bias: false`. */
  readonly bias: Parameter | undefined;
  private readonly conv: ConvOptions;

  constructor(
    /** Channels of the input (its last dim). */
    readonly inChannels: number,
    /** Channels of the output (filters). */
    readonly outChannels: number,
    /** Window size: one for both dims or [KH, KW]. */
    readonly kernelSize: number | readonly [number, number],
    opts: Conv2dOptions = {},
  ) {
    super();
    requireSize('Conv2d', 'inChannels', inChannels);
    requireSize('Conv2d', 'outChannels', outChannels);
    const window = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : [...kernelSize];
    this.weight = new Parameter(convKernelShape('Conv2d', window, inChannels, outChannels, opts.groups), opts.weightInit ?? glorotUniform(), { label: 'weight' });
    this.bias = opts.bias === false ? undefined : new Parameter([outChannels], opts.biasInit ?? zeros(), { label: 'bias' });
    this.conv = convOptions(opts);
  }

  forward(x: Tensor): Tensor {
    expectShape(x, 'Conv2d', ['N', 'H', 'W', this.inChannels], 'NHWC input');
    return x.trace.atCaller(() => conv2dApply(x, { weight: this.weight, bias: this.bias }, this.conv));
  }
}

/** 1-D convolution over sequences: x [N, L, inChannels] → [N, L', outChannels]. */
export class Conv1d extends Module {
  /** [K, inChannels / groups, outChannels] */
  readonly weight: Parameter;
  /** [outChannels], absent with `bias: false`. */
  readonly bias: Parameter | undefined;
  private readonly conv: ConvOptions;

  constructor(
    /** Channels of the input (its last dim). */
    readonly inChannels: number,
    /** Channels of the output (filters). */
    readonly outChannels: number,
    /** Window length K. */
    readonly kernelSize: number,
    opts: Conv1dOptions = {},
  ) {
    super();
    requireSize('Conv1d', 'inChannels', inChannels);
    requireSize('Conv1d', 'outChannels', outChannels);
    this.weight = new Parameter(convKernelShape('Conv1d', [kernelSize], inChannels, outChannels, opts.groups), opts.weightInit ?? glorotUniform(), { label: 'weight' });
    this.bias = opts.bias === false ? undefined : new Parameter([outChannels], opts.biasInit ?? zeros(), { label: 'bias' });
    this.conv = convOptions(opts);
  }

  forward(x: Tensor): Tensor {
    expectShape(x, 'Conv1d', ['N', 'L', this.inChannels], 'NLC input');
    return x.trace.atCaller(() => conv1dApply(x, { weight: this.weight, bias: this.bias }, this.conv));
  }
}
