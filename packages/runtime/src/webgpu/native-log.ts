// Keeps the native chatter of WebGPU device acquisition (Dawn, Mesa, the Vulkan loader and its
// layers, all writing to file descriptor 2) off the user's terminal; KILN_VERBOSE=1 leaves it all
// untouched. Linux/Node only; Node built-ins are imported lazily so a browser bundle never sees them.

type Fs = typeof import('node:fs');

/** KILN_VERBOSE=1: every native line reaches stderr as printed, and no environment is changed. */
export function nativeVerbose(): boolean {
  return typeof process !== 'undefined' && process.env?.['KILN_VERBOSE'] === '1';
}

/**
 * Lines that every healthy process printed, each matched as a whole record (Dawn's multi-line
 * warnings included). Dropped only when a device was acquired: on failure they explain why.
 */
const NOISE: readonly RegExp[] = [
  // Dawn, when the Vulkan loader is absent (machines without a GPU driver); vulkanLoaderAbsent
  // usually prevents it.
  /^Warning: Couldn't load Vulkan: /,
  // Dawn's own clamp of every adapter's limits during discovery, whatever the device requests.
  /^Warning: maxDynamic(?:Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.\n\n?$/,
  // Dawn rejecting an adapter it cannot use (e.g. lavapipe: "Vulkan shaderUniform*ArrayDynamicIndexing
  // required."): the adapter picked and why is already in WebGpuDeviceInfo.reason.
  /^Warning: .*\n - While (?:initializing adapter|trying to discover) /,
  // libwayland, via Mesa's Vulkan device-select layer; also prevented by quietNativeEnvironment.
  /^error: XDG_RUNTIME_DIR is invalid or not set in the environment\.\n$/,
];

/** Splits captured text into records: a Dawn "Severity: message" line, its " - While ..." and
 * "    at ..." continuation lines and the blank line Dawn ends each one with; any other line alone. */
function records(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    let rec = lines[i++]!;
    if (/^(?:Warning|Error|Info|Debug): /.test(rec)) {
      while (i < lines.length && /^(?: - |\s+at )/.test(lines[i]!)) rec += lines[i++]!;
      if (i < lines.length && lines[i] === '\n') rec += lines[i++]!;
    }
    out.push(rec);
  }
  return out;
}

/** Captured native output minus the known noise (exported for tests). */
export function withoutNativeNoise(text: string): string {
  return records(text)
    .filter((r) => !NOISE.some((re) => re.test(r)))
    .join('');
}

/** A per-user 0700 directory in the OS temp dir (created once), or undefined when none can be made. */
function privateDir(fs: Fs, tmp: string, uid: number): string | undefined {
  const dir = `${tmp}/kiln-native-${uid}`;
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch {
    // Already there (or not creatable): checked below.
  }
  try {
    // Someone else's directory, a symlink or a group-writable one could be used to read or
    // redirect what goes in it: then a fresh mkdtemp directory (0700) instead.
    const st = fs.lstatSync(dir);
    if (st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0) return dir;
    return fs.mkdtempSync(`${tmp}/kiln-native-${uid}-`);
  } catch {
    return undefined;
  }
}

/**
 * Environment defaults read by native libraries, set only where the user has not set them (and
 * not at all under KILN_VERBOSE=1). Call before Dawn is loaded.
 * - XDG_RUNTIME_DIR: Mesa's Vulkan device-select layer asks libwayland for the default display's
 *   GPU; without the variable libwayland prints "error: XDG_RUNTIME_DIR is invalid or not set in
 *   the environment." twice. An empty private directory holds no Wayland socket, so the layer
 *   finds no display exactly as before: same adapters, same order, no message.
 */
export async function quietNativeEnvironment(): Promise<void> {
  if (typeof process === 'undefined' || nativeVerbose() || process.platform !== 'linux') return;
  if (process.env['XDG_RUNTIME_DIR'] !== undefined || typeof process.getuid !== 'function') return;
  const [fs, os] = await Promise.all([import('node:fs'), import('node:os')]);
  const dir = privateDir(fs, os.tmpdir(), process.getuid());
  if (dir !== undefined) process.env['XDG_RUNTIME_DIR'] = dir;
}

/**
 * True when Dawn would fail to load the Vulkan loader, print "Couldn't load Vulkan: libvulkan.so.1:
 * cannot open shared object file" and find no adapter on its default (on Linux: Vulkan only)
 * backends; the caller then skips that attempt, with the same outcome and no message. Dawn looks
 * for libvulkan.so.1 beside dawn.node, beside the node executable, then through the system's
 * library search (strace of webgpu 0.6.2); the last is asked of the same dynamic linker via
 * process.dlopen, which loads nothing when the library is absent. Any doubt answers false.
 */
export async function vulkanLoaderAbsent(): Promise<boolean> {
  if (typeof process === 'undefined' || nativeVerbose() || process.platform !== 'linux' || typeof process.dlopen !== 'function') return false;
  try {
    const [fs, path, { createRequire }] = await Promise.all([import('node:fs'), import('node:path'), import('node:module')]);
    const dawnDir = path.join(path.dirname(createRequire(import.meta.url).resolve('webgpu')), 'dist', `linux-${process.arch}`);
    for (const dir of [dawnDir, path.dirname(process.execPath)]) if (fs.existsSync(path.join(dir, 'libvulkan.so.1'))) return false;
    // Present, it loads but "did not self-register" (it is no Node addon) and Node unloads it again.
    process.dlopen({ exports: {} }, 'libvulkan.so.1');
    return false;
  } catch (e) {
    return e instanceof Error && e.message.startsWith('libvulkan.so.1: cannot open shared object file');
  }
}

interface Redirect {
  /** A second descriptor for the original stderr, reopened through /proc (Node has no dup()). */
  readonly saved: number;
  readonly flags: number;
}

/**
 * What native code writes to fd 2 during synchronous calls (Dawn prints from inside create(),
 * requestAdapter() and requestDevice() before they return), held back until acquisition ends.
 *
 * Dawn's warnings go straight to fprintf(stderr) with no switch, toggle or callback to turn them
 * off, so fd 2 itself is pointed at a private file for the duration of each call: Node has no
 * dup2(), but close(2) followed by open() reuses the lowest free descriptor, which is 2 once 0 and
 * 1 are known to be open. Done only on Linux (the original stderr is reopened via /proc/self/fd)
 * and only where reopening is faithful: a pipe, a FIFO or a character device (terminal, /dev/null).
 * A regular file (its offset would be lost) or a socket (not reopenable; what a Node parent's
 * stdio 'pipe' gives) keeps Dawn's lines. A native crash inside a captured call leaves its last
 * words in the capture file, $TMPDIR/kiln-native-<uid>/native-stderr-<pid>.log.
 */
export class NativeStderr {
  private text = '';

  private constructor(
    private readonly fs: Fs | undefined,
    private readonly file: string,
  ) {}

  /** A capturing log where it can work; otherwise one whose capture() just calls through. */
  static async open(): Promise<NativeStderr> {
    if (typeof process === 'undefined' || nativeVerbose() || process.platform !== 'linux' || typeof process.getuid !== 'function') {
      return new NativeStderr(undefined, '');
    }
    const [fs, os] = await Promise.all([import('node:fs'), import('node:os')]);
    const dir = privateDir(fs, os.tmpdir(), process.getuid());
    return dir === undefined ? new NativeStderr(undefined, '') : new NativeStderr(fs, `${dir}/native-stderr-${process.pid}.log`);
  }

  /** Runs fn (synchronous: native output after it returns is not caught) with fd 2 captured. */
  capture<T>(fn: () => T): T {
    const r = this.begin();
    if (r === undefined) return fn();
    try {
      return fn();
    } finally {
      this.end(r);
    }
  }

  /**
   * Writes out what was captured: after a successful acquisition all but the known noise, after a
   * failed one everything, since Dawn's notices are then the explanation.
   */
  flush(acquired: boolean): void {
    const out = acquired ? withoutNativeNoise(this.text) : this.text;
    this.text = '';
    if (out !== '') process.stderr.write(out);
  }

  private begin(): Redirect | undefined {
    const fs = this.fs;
    if (fs === undefined) return undefined;
    const c = fs.constants;
    let flags: number;
    let saved: number;
    try {
      fs.fstatSync(0);
      fs.fstatSync(1);
      const st = fs.fstatSync(2);
      if (!st.isFIFO() && !st.isCharacterDevice()) return undefined;
      // The original's access mode and O_APPEND/O_NONBLOCK, from the kernel's record of it. A pipe is
      // always reopened non-blocking: a blocking open of a pipe whose reader has gone never returns.
      const m = /^flags:\s+([0-7]+)$/m.exec(fs.readFileSync('/proc/self/fdinfo/2', 'utf8'));
      const orig = m === null ? c.O_WRONLY : parseInt(m[1]!, 8);
      flags = (orig & (c.O_WRONLY | c.O_RDWR | c.O_APPEND | c.O_NONBLOCK)) | c.O_NOCTTY | (st.isFIFO() ? c.O_NONBLOCK : 0);
      saved = fs.openSync('/proc/self/fd/2', flags);
    } catch {
      return undefined;
    }
    // From here to the open() nothing else may claim descriptor 2: no JS runs in between, and native
    // threads opening files at this exact moment are the one (accepted) hazard of this technique.
    fs.closeSync(2);
    let fd = -1;
    try {
      fd = fs.openSync(this.file, c.O_RDWR | c.O_CREAT | c.O_TRUNC | c.O_NOCTTY, 0o600);
    } catch {
      // Handled below: fd 2 is still free and gets the original back.
    }
    if (fd === 2) return { saved, flags };
    if (fd !== -1) fs.closeSync(fd);
    this.reattach(saved, flags, false);
    return undefined;
  }

  private end(r: Redirect): void {
    const fs = this.fs!;
    this.reattach(r.saved, r.flags, true);
    try {
      this.text += fs.readFileSync(this.file, 'utf8');
      fs.unlinkSync(this.file);
    } catch {
      // Nothing captured to report.
    }
  }

  /** Puts the original stderr back on descriptor 2 (never leaving 2 free for the next open()). */
  private reattach(saved: number, flags: number, closeCapture: boolean): void {
    const fs = this.fs!;
    if (closeCapture) fs.closeSync(2);
    let fd: number;
    try {
      fd = fs.openSync(`/proc/self/fd/${saved}`, flags);
    } catch {
      // The reader of a pipe went away meanwhile: writes would fail anyway.
      fd = fs.openSync('/dev/null', fs.constants.O_WRONLY);
    }
    // Not 2 only if another thread took it in between; then there is nothing safe left to do.
    if (fd !== 2) fs.closeSync(fd);
    fs.closeSync(saved);
  }
}
