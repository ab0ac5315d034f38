// Frontend: finds the user's source line for each traced node (the first stack frame outside
// Kiln's own code), so trace-time errors and IR dumps name the model script. Reads V8 stacks
// (Node, Chromium: "    at fn (url:line:col)") and SpiderMonkey/JavaScriptCore ones ("fn@url:line:col").

import type { SourceLoc } from '@kiln/ir';

const INTERNAL_RE = /[\\/](?:packages[\\/]ir|@kiln[\\/]ir|node_modules)[\\/]/;
const V8_RE = /^\s*at\s+(?:(?:async\s+)?(.*?)\s+\((.*)\)|(?:async\s+)?(.*))$/;
const GECKO_RE = /^\s*(?:async\*)?(.*?)@(.*)$/;
const LOCATION_RE = /^(.*):(\d+):(\d+)$/;
const FRAME_LIMIT = 64;
/** This module's own file under its own name: sources run unbundled (tsx, vitest, a dev server). */
const OWN_NAME_RE = /(?:^|[\\/])source-loc\.[cm]?[jt]sx?$/;

/** `file://` URLs as paths; other URLs without their query and fragment (Vite's `?v=…` and the like). */
function toPath(fileOrUrl: string): string {
  if (fileOrUrl.startsWith('file://')) {
    try {
      return decodeURIComponent(new URL(fileOrUrl).pathname);
    } catch {
      return fileOrUrl;
    }
  }
  return fileOrUrl.includes('://') ? fileOrUrl.replace(/[?#].*$/, '') : fileOrUrl;
}

function dirOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? path : path.slice(0, cut + 1);
}

/** `file:line:col` of a frame's location part, or undefined for eval'd, native and anonymous code. */
function location(text: string): SourceLoc | undefined {
  const m = LOCATION_RE.exec(text.trim());
  if (m === null) return undefined;
  const [, file, ln, col] = m;
  if (file === undefined || ln === undefined || col === undefined || file === '') return undefined;
  // V8 "eval at f (url:1:2), <anonymous>", Firefox "url line 3 > eval" / "> Function": no file to name.
  if (file.startsWith('eval at ') || file.includes('<anonymous>') || / line \d+ > /.test(file)) return undefined;
  return { file: toPath(file), line: Number(ln), col: Number(col) };
}

/**
 * Parses one stack line: V8's `    at fn (file:12:5)`, `    at file:12:5`, `    at async fn (…)`,
 * or SpiderMonkey/JavaScriptCore's `fn@file:12:5`, `@file:12:5`, `async*fn@file:12:5`.
 * Anything else (the message line, `[native code]`) gives undefined.
 */
export function parseFrame(line: string): SourceLoc | undefined {
  const v8 = V8_RE.exec(line);
  if (v8 !== null) return location(v8[2] ?? v8[3] ?? '');
  const gecko = GECKO_RE.exec(line);
  return gecko !== null ? location(gecko[2] ?? '') : undefined;
}

function stackNow(): string | undefined {
  const prevLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = FRAME_LIMIT;
  } catch {
    // A frozen Error (SES lockdown, say): the default limit then.
  }
  try {
    return new Error().stack;
  } finally {
    try {
      Error.stackTraceLimit = prevLimit;
    } catch {
      // As above.
    }
  }
}

/**
 * Which frames are Kiln's. Found from this module's own frame instead of import.meta.url, which an
 * IIFE bundle lacks: unbundled, every file beside this one (the package's sources or build output);
 * in a bundle (ESM or IIFE, named anything), the bundle file itself.
 */
export interface OwnCode {
  /** This module's file (or the bundle's), undefined when there is no stack to read it from. */
  readonly file: string | undefined;
  readonly bundled: boolean;
}

/** Where this code runs from, as a stack trace shows it (exported for tests). */
export function ownCode(file: string | undefined): OwnCode {
  return { file, bundled: file !== undefined && !OWN_NAME_RE.test(file) };
}

function ownFrame(): OwnCode {
  try {
    for (const line of (stackNow() ?? '').split('\n')) {
      const loc = parseFrame(line);
      if (loc !== undefined) return ownCode(loc.file);
    }
  } catch {
    // No stack here: every frame then counts as the user's.
  }
  return ownCode(undefined);
}

const OWN = ownFrame();

/** True for frames of Kiln itself (and of the IR package and dependencies, when unbundled). */
export function isInternalFile(path: string, own: OwnCode = OWN): boolean {
  if (path.startsWith('node:') || INTERNAL_RE.test(path)) return true;
  if (own.file === undefined) return false;
  return own.bundled ? path === own.file : path.startsWith(dirOf(own.file));
}

/** Shortens a path: relative to the working directory (Node), or to the page's origin (browsers). */
function displayPath(path: string): string {
  const host = globalThis as { process?: { cwd?: () => string }; location?: { origin?: string } };
  try {
    const cwd = typeof host.process?.cwd === 'function' ? host.process.cwd() : undefined;
    if (cwd !== undefined && path.startsWith(`${cwd}/`)) return path.slice(cwd.length + 1);
    const origin = host.location?.origin;
    if (typeof origin === 'string' && origin !== 'null' && path.startsWith(`${origin}/`)) return path.slice(origin.length);
  } catch {
    // A host whose cwd() throws (deleted directory): the full path then.
  }
  return path;
}

/** The first user frame of a stack text (exported for tests with recorded stacks). */
export function userFrame(stack: string, own: OwnCode = OWN): SourceLoc | undefined {
  for (const line of stack.split('\n')) {
    const loc = parseFrame(line);
    if (loc !== undefined && !isInternalFile(loc.file, own)) return { ...loc, file: displayPath(loc.file) };
  }
  return undefined;
}

/** The first frame of the current stack that is user code, or undefined (no stack, or none found). Never throws. */
export function callerLoc(): SourceLoc | undefined {
  try {
    const stack = stackNow();
    return stack === undefined ? undefined : userFrame(stack);
  } catch {
    return undefined;
  }
}
