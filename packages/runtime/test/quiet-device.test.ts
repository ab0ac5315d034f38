// A process that acquires a WebGPU device leaves stderr clean of the native warnings Dawn, Mesa
// and the Vulkan layers print (see src/webgpu/native-log.ts); KILN_VERBOSE=1 still works.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withoutNativeNoise } from '../src/webgpu/native-log.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const runtime = pathToFileURL(join(root, 'packages', 'runtime', 'src', 'index.ts')).href;

/** Exactly what this machine printed before (webgpu 0.6.2, Mesa 22.3.6; lavapipe for the last two). */
const OBSERVED = [
  "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory\n" +
    '    at operator() (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)\n\n',
  'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 90 to 16 to fit dynamic offset allocation limit.\n',
  'Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 80 to 16 to fit dynamic offset allocation limit.\n',
  'error: XDG_RUNTIME_DIR is invalid or not set in the environment.\n',
  'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required.\n' +
    ' - While initializing adapter (backend=BackendType::Vulkan)\n' +
    '    at InitializeImpl (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/PhysicalDeviceVk.cpp:257)\n\n',
];
/** One line of each, as a stderr check. */
const KNOWN = ["Couldn't load Vulkan", 'artificially reduced', 'XDG_RUNTIME_DIR is invalid', 'While initializing adapter'];

/** Acquires a device, prints what was picked on stdout as JSON, exits. */
const CHILD = `
const { requestWebGpuDevice } = await import(${JSON.stringify(runtime)});
const d = await requestWebGpuDevice();
process.stdout.write(JSON.stringify({ kind: d.kind, description: d.description, reason: d.reason }));
d.device.destroy();
`;

interface Child {
  readonly picked: { kind: string; description: string; reason: string } | undefined;
  readonly stderr: string;
}

/**
 * Runs CHILD with node --import tsx. Through a shell pipeline, stderr is a real pipe, as in
 * `kiln ... 2>&1 | less`; otherwise a Node child's stderr is a socket (the case fd 2 capture cannot reach).
 */
function child(env: Record<string, string | undefined>, viaPipe: boolean): Child {
  const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', CHILD];
  // exec 3>&1 keeps the real stdout; the child's stderr then goes into the pipe to cat, which puts it on ours.
  const [cmd, ...args] = viaPipe ? ['sh', '-c', 'exec 3>&1; "$@" 2>&1 1>&3 3>&- | cat >&2', 'sh', ...node] : node;
  const r = spawnSync(cmd!, args, { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
  let picked: Child['picked'];
  try {
    picked = JSON.parse(r.stdout) as Child['picked'];
  } catch {
    picked = undefined;
  }
  return { picked, stderr: r.stderr };
}

function baseEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env['KILN_VERBOSE'];
  return env;
}

describe('native warnings during device acquisition', () => {
  it('filters exactly the observed warning records and keeps anything else', () => {
    expect(withoutNativeNoise(OBSERVED.join(''))).toBe('');
    const other = 'libEGL warning: something new\nWarning: a Dawn warning about no adapter\n';
    expect(withoutNativeNoise(OBSERVED[1]! + other + OBSERVED[0]!)).toBe(other);
  });

  describe.skipIf(process.platform !== 'linux')('in a child process (Linux)', () => {
    it('prints none of them on a piped stderr, picks the same device as KILN_VERBOSE=1, which still works', () => {
      const quiet = child(baseEnv(), true);
      if (quiet.picked === undefined && process.env['KILN_ALLOW_NO_WEBGPU'] === '1') {
        console.warn(`quiet-device test SKIPPED (KILN_ALLOW_NO_WEBGPU=1): ${quiet.stderr}`);
        return;
      }
      expect(quiet.picked, quiet.stderr).toBeDefined();
      for (const line of KNOWN) expect(quiet.stderr).not.toContain(line);
      const verbose = child({ ...baseEnv(), KILN_VERBOSE: '1' }, true);
      expect(verbose.picked, verbose.stderr).toEqual(quiet.picked);
    });

    it('keeps the Vulkan and XDG_RUNTIME_DIR lines off a socket stderr too (prevented at the source)', () => {
      const r = child(baseEnv(), false);
      if (r.picked === undefined && process.env['KILN_ALLOW_NO_WEBGPU'] === '1') return;
      expect(r.picked, r.stderr).toBeDefined();
      expect(r.stderr).not.toContain("Couldn't load Vulkan");
      expect(r.stderr).not.toContain('XDG_RUNTIME_DIR is invalid');
    });
  });
});
