// Frontend: finds the user's source line for each traced node (the first stack frame outside the
// frontend's and the IR's own sources), so trace-time errors and IR dumps name the model script.

import type { SourceLoc } from '@kiln/ir';

/** Directory of this package's sources (or build output): frames in it are Kiln internals. */
const OWN_DIR = dirOf(toPath(import.meta.url));
const INTERNAL_RE = /[\\/](?:packages[\\/]ir|@kiln[\\/]ir|node_modules)[\\/]/;
const FRAME_RE = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;
const FRAME_LIMIT = 64;

function toPath(fileOrUrl: string): string {
  if (!fileOrUrl.startsWith('file://')) return fileOrUrl;
  try {
    return decodeURIComponent(new URL(fileOrUrl).pathname);
  } catch {
    return fileOrUrl;
  }
}

function dirOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? path : path.slice(0, cut + 1);
}

function isInternal(path: string): boolean {
  return path.startsWith(OWN_DIR) || path.startsWith('node:') || INTERNAL_RE.test(path);
}

/** Shortens a path to be relative to the working directory when it lies inside it. */
function displayPath(path: string): string {
  const cwd = typeof process !== 'undefined' && typeof process.cwd === 'function' ? process.cwd() : undefined;
  return cwd !== undefined && path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}

/** Parses one V8 stack line (`at fn (file:12:5)` or `at file:12:5`). */
export function parseFrame(line: string): SourceLoc | undefined {
  const m = FRAME_RE.exec(line.trim());
  if (m === null || !line.trim().startsWith('at ')) return undefined;
  const [, file, ln, col] = m;
  if (file === undefined || ln === undefined || col === undefined) return undefined;
  return { file: toPath(file), line: Number(ln), col: Number(col) };
}

/** The first frame of the current stack that is user code, or undefined (e.g. in a browser without stacks). */
export function callerLoc(): SourceLoc | undefined {
  const prevLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = FRAME_LIMIT;
  let stack: string | undefined;
  try {
    stack = new Error().stack;
  } finally {
    Error.stackTraceLimit = prevLimit;
  }
  if (stack === undefined) return undefined;
  for (const line of stack.split('\n')) {
    const loc = parseFrame(line);
    if (loc !== undefined && !isInternal(loc.file)) return { file: displayPath(loc.file), line: loc.line, col: loc.col ?? 0 };
  }
  return undefined;
}
