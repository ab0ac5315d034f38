#!/usr/bin/env node
// The `kiln` command line: inspect, check, run, dump (IR, WGSL, pictures) and fuzz Kiln IR and model scripts.
// Each subcommand lives in commands/; this file only dispatches and turns errors into exit codes:
// 0 success, 1 failure (an IR/runtime error, a parity mismatch), 2 usage error.

import { KilnError } from '@kiln/ir';
import { checkCommand } from './commands/check.js';
import { printCommand } from './commands/print.js';
import { runCommand } from './commands/run.js';
import { runParityCommand } from './commands/run-parity.js';
import { UsageError } from './commands/usage.js';
import { systemReason } from './commands/io.js';
import { optCommand } from './commands/opt.js';
import { dumpCommand } from './commands/dump.js';
import { fuzzCommand } from './commands/fuzz.js';
import { wgslCommand } from './commands/wgsl.js';
import { tuneCommand } from './commands/tune.js';
import { onnxImportCommand } from './commands/onnx-import.js';
import { onnxExportCommand } from './commands/onnx-export.js';

type Command = (args: string[]) => Promise<number>;

const commands: Readonly<Record<string, { run: Command; usage: string }>> = {
  print: { run: printCommand, usage: 'kiln print <script.ts|file.kir> [--grad] [--locations]   print the traced IR (with --grad: forward+backward)' },
  check: { run: checkCommand, usage: 'kiln check <file.kir>                                   parse and verify; errors as file:line:col' },
  run: {
    run: runCommand,
    usage:
      'kiln run <file.kir|script.ts> --inputs <file.json> [--backend cpu|webgpu|auto] [--pipeline P] [--seed S]\n' +
      '        evaluate once; outputs as JSON on stdout, the backend used and why on stderr. Backend: --backend,\n' +
      '        else $KILN_BACKEND, else cpu. Pipeline default: none on cpu, the default pipeline on webgpu.\n' +
      "        A script's parameters not in --inputs start from their initializers (seed S, default 0)",
  },
  'run-parity': {
    run: runParityCommand,
    usage:
      'kiln run-parity <script.ts|file.kir> [--inputs <file.json>] [--seed S] [--rtol R] [--atol A] [--steps N] [--pipeline P]\n' +
      '        run on the CPU interpreter (graph as written) and on WebGPU (after pipeline P, default: the default\n' +
      '        pipeline) with the same seeded inputs; print the largest error per output (every step) and per\n' +
      '        updated state (at the end); exit 1 on a mismatch. Pass: |gpu-cpu| <= atol + rtol*|cpu| per element,\n' +
      '        defaults rtol 1e-4, atol 1e-5. Inputs not in --inputs are seeded: f32 uniform [-1,1), integers in\n' +
      "        [0, size of the dimension they index) or else [0,4), bools 0/1. State: a script's initializers\n" +
      '        (seed S, as k.compile); in a .kir file f32 state is seeded, integer/bool state starts at zero',
  },
  opt: { run: optCommand, usage: 'kiln opt <script.ts|file.kir> [--pipeline P] [--print-ir-after-all|-change|-failure] [--stats]' },
  dump: {
    run: dumpCommand,
    usage:
      'kiln dump <script.ts|file.kir> --out <dir> [--pipeline P] [--limits core|compat|device] [--svg]\n' +
      '        one numbered .kir file per pass, kernels/<NN>-<kernel>.wgsl per kernel of the result, stats.txt;\n' +
      '        --svg adds <NN>-<pass>.svg per pass (Graphviz, in WebAssembly: kernels as clusters, types on edges)',
  },
  wgsl: {
    run: wgslCommand,
    usage:
      'kiln wgsl <script.ts|file.kir> [--kernel NAME] [--pipeline P] [--limits core|compat|device]\n' +
      '        print the WGSL the WebGPU backend generates for each kernel, in dispatch order. Limits: core (default)\n' +
      "        or compat, WebGPU's default limits with no device (compat also fuses for 4 storage buffers);\n" +
      "        device, this machine's WebGPU device",
  },
  tune: {
    run: tuneCommand,
    usage: 'kiln tune <script.ts|file.kir> [--full] [--pipeline P]   tune GEMM and elementwise schedules on this WebGPU device, print before/after, write the tune cache',
  },
  fuzz: {
    run: fuzzCommand,
    usage:
      'kiln fuzz [--seed S] [--runs N] [--pass NAME|pipeline] [--backend cpu|webgpu] [--special R]   fuzz the passes with random graphs;\n' +
      '        --backend webgpu: CPU interpreter vs WebGPU after the default pipeline, inputs with a share R (default 0.2)\n' +
      '        of special values (NaN, ±Inf, ±0); NaN/Inf placement must be identical, finite values within 1e-5 + 1e-4·|cpu|',
  },
  import: { run: onnxImportCommand, usage: 'kiln import <model.onnx> [-o model.kir] [--shape name=2,3] [--constants]   ONNX -> Kiln IR' },
  export: { run: onnxExportCommand, usage: 'kiln export <model.ts> -o <model.onnx> [--seed S]   traced model script -> ONNX (opset 17)' },
};

function usage(): string {
  return [
    'usage:',
    ...Object.values(commands).map((c) => `  ${c.usage}`),
    '',
    'environment: KILN_BACKEND=cpu|webgpu|auto picks the backend of kiln run when --backend is not given',
    '  (auto: a hardware WebGPU adapter, else Dawn OpenGL ES on llvmpipe, else the CPU interpreter).',
    'exit status: 0 success, 1 failure (IR or runtime error, parity mismatch), 2 usage error.',
    '--debug (any command): print the stack trace of an unexpected error.',
  ].join('\n');
}

async function main(all: string[]): Promise<number> {
  // --debug anywhere keeps the stack trace of an unexpected error; it is not a subcommand option.
  const debug = all.includes('--debug');
  const argv = all.filter((a) => a !== '--debug');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === undefined) {
      console.error(usage());
      return 2;
    }
    console.log(usage());
    return 0;
  }
  const cmd = commands[name];
  if (cmd === undefined) {
    console.error(`kiln: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: ${cmd.usage}`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    return report(name, cmd.usage, e, debug);
  }
}

/** One line (or the diagnostics of a KilnError) per problem, never a stack trace unless --debug. */
function report(name: string, cmdUsage: string, e: unknown, debug: boolean): number {
  if (e instanceof UsageError || isParseArgsError(e)) {
    console.error(`kiln ${name}: ${e instanceof Error ? e.message : String(e)}\nusage: ${cmdUsage}`);
    return 2;
  }
  if (e instanceof KilnError || (e instanceof Error && e.name === 'KilnError')) {
    console.error(e.message);
    if (debug && e.stack !== undefined) console.error(e.stack);
    return 1;
  }
  // Anything else is a problem outside the input (a file system error, or a bug in Kiln): say it in one line.
  const firstLine = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  const hint = debug ? '' : ' (rerun with --debug for the stack trace)';
  const reason = isSystemError(e) ? systemReason(e) : undefined;
  console.error(`kiln ${name}: ${reason === undefined ? `internal error: ${firstLine}${hint}` : reason === firstLine ? reason : `${reason} (${firstLine})`}`);
  if (debug && e instanceof Error && e.stack !== undefined) console.error(e.stack);
  return 1;
}

function isParseArgsError(e: unknown): boolean {
  return e instanceof TypeError && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS');
}

function isSystemError(e: unknown): boolean {
  return e instanceof Error && 'syscall' in e && 'code' in e && typeof e.code === 'string';
}

process.exitCode = await main(process.argv.slice(2));
