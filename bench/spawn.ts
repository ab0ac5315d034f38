// Benchmarks: one library process — spawned with tsx from the repository root, given its config
// as JSON, its report read back from stdout; a crash or timeout becomes an honest error entry.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { errorText, parseReport, type LibReport, type Library } from './protocol.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The library processes, by the module that runs them. */
export const LIB_SCRIPTS: Readonly<Record<Library | 'kiln-compile', string>> = {
  kiln: fileURLToPath(new URL('./libs/kiln.ts', import.meta.url)),
  tfjs: fileURLToPath(new URL('./libs/tfjs.ts', import.meta.url)),
  'jax-js': fileURLToPath(new URL('./libs/jaxjs.ts', import.meta.url)),
  reference: fileURLToPath(new URL('./libs/reference.ts', import.meta.url)),
  'kiln-compile': fileURLToPath(new URL('./libs/kiln-compile.ts', import.meta.url)),
};

export interface ChildOutcome {
  readonly report: LibReport | undefined;
  /** Why there is no report (crash, timeout, unparsable output). */
  readonly failure: string | undefined;
  readonly wallMs: number;
}

/** Dawn's chatter on stderr that says nothing about the benchmark. */
const NOISE = /Couldn't load Vulkan|artificially reduced|^\s+at |BackendVk\.cpp|^\s*$|timestamp-query extension/;

export function runChild(script: string, config: unknown, timeoutMs: number, onProgress: (line: string) => void = () => undefined): Promise<ChildOutcome> {
  const started = performance.now();
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--config', JSON.stringify(config)], {
      cwd: REPO_ROOT,
      env: { ...process.env, EGL_PLATFORM: process.env['EGL_PLATFORM'] ?? 'surfaceless' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderrTail: string[] = [];
    let partial = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (NOISE.test(line)) continue;
        if (/^\[[\w-]+\] /.test(line)) onProgress(line);
        else stderrTail = [...stderrTail, line].slice(-8);
      }
    });
    const finish = (failure: string | undefined): void => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      let report: LibReport | undefined;
      try {
        report = parseReport<LibReport>(stdout);
      } catch (e) {
        failure ??= `unreadable report: ${errorText(e)}`;
      }
      if (report === undefined && failure === undefined) failure = 'the process printed no report';
      const detail = stderrTail.length > 0 ? ` (stderr: ${stderrTail.join(' | ').slice(0, 400)})` : '';
      resolvePromise({ report, failure: report === undefined ? `${failure}${detail}` : undefined, wallMs });
    };
    child.on('error', (e) => finish(`could not start: ${errorText(e)}`));
    child.on('close', (code, signal) => {
      if (timedOut) finish(`timed out after ${(timeoutMs / 1000).toFixed(0)} s`);
      else finish(code === 0 ? undefined : `exited with ${signal ?? `code ${code}`}`);
    });
  });
}
