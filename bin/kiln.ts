#!/usr/bin/env node
// The `kiln` command line: inspect, check, run, dump and fuzz Kiln IR and model scripts.
// Each subcommand lives in commands/; this file only dispatches and turns errors into exit codes.

import { KilnError } from '@kiln/ir';
import { checkCommand } from './commands/check.js';
import { printCommand } from './commands/print.js';
import { runCommand } from './commands/run.js';
import { optCommand } from './commands/opt.js';
import { dumpCommand } from './commands/dump.js';
import { fuzzCommand } from './commands/fuzz.js';

type Command = (args: string[]) => Promise<number>;

const commands: Readonly<Record<string, { run: Command; usage: string }>> = {
  print: { run: printCommand, usage: 'kiln print <script.ts|file.kir> [--grad] [--locations]   print the traced IR (with --grad: forward+backward)' },
  check: { run: checkCommand, usage: 'kiln check <file.kir>                                   parse and verify; errors as file:line:col' },
  run: { run: runCommand, usage: 'kiln run <file.kir> --inputs <file.json> [--backend cpu|webgpu]   evaluate and print outputs as JSON' },
  opt: { run: optCommand, usage: 'kiln opt <script.ts|file.kir> [--pipeline P] [--print-ir-after-all|-change|-failure] [--stats]' },
  dump: { run: dumpCommand, usage: 'kiln dump <script.ts|file.kir> --out <dir> [--pipeline P]   one numbered .kir file per pass' },
  fuzz: { run: fuzzCommand, usage: 'kiln fuzz [--seed S] [--runs N] [--pass NAME|pipeline]   fuzz the passes with random graphs' },
};

function usage(): string {
  return ['usage:', ...Object.values(commands).map((c) => `  ${c.usage}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const cmd = commands[name];
  if (cmd === undefined) {
    console.error(`kiln: unknown command '${name}'\n${usage()}`);
    return 1;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof KilnError || (e instanceof Error && e.name === 'KilnError')) {
      console.error(e.message);
      return 1;
    }
    if (e instanceof TypeError && /parseArgs|Unknown option|Option '/.test(String(e.message))) {
      console.error(`kiln ${name}: ${e.message}\n${cmd.usage}`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
