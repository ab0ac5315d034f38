// Source locations from stack traces: V8 (Node, Chromium) and SpiderMonkey (Firefox) frames, Kiln's
// own frames told apart unbundled (by directory) and bundled (by the bundle file), recorded stacks
// from real ESM and minified IIFE bundles in Chromium 150 and Firefox 140, and no throwing ever.

import { describe, expect, it } from 'vitest';
import { callerLoc, isInternalFile, ownCode, parseFrame, userFrame } from '../src/source-loc.js';

/**
 * Recorded: `k.trace(({ x, y }) => forward(x, y), …)` with `forward` calling `x.add(y)` on shapes
 * that do not broadcast, the KilnError's stack (esbuild 0.28 bundles of packages/frontend/src/index.ts
 * for the browser, served from http://127.0.0.1:8765; the user's call is user-*.js line 3 or 2, col 12).
 */
const RECORDED = {
  chromiumEsm:
    'KilnError: error: add: shapes [2,3] and [4] cannot be broadcast together (dim 1: 3 vs 4) [operands: f32[2,3], f32[4]] [traced at /user-esm.js:3:12]\n' +
    '    at TraceContext.error (http://127.0.0.1:8765/kiln.esm.js:1760:12)\n' +
    '    at broadcastShapes (http://127.0.0.1:8765/kiln.esm.js:1994:22)\n' +
    '    at alignOperands (http://127.0.0.1:8765/kiln.esm.js:2015:17)\n' +
    '    at binary2 (http://127.0.0.1:8765/kiln.esm.js:2027:18)\n' +
    '    at add (http://127.0.0.1:8765/kiln.esm.js:2049:21)\n' +
    '    at Tensor.add (http://127.0.0.1:8765/kiln.esm.js:2425:12)\n' +
    '    at forward (http://127.0.0.1:8765/user-esm.js:3:12)\n' +
    '    at http://127.0.0.1:8765/user-esm.js:7:25\n' +
    '    at http://127.0.0.1:8765/kiln.esm.js:2649:22\n' +
    '    at withTrace (http://127.0.0.1:8765/kiln.esm.js:1697:12)',
  chromiumIife:
    'KilnError: error: add: shapes [2,3] and [4] cannot be broadcast together (dim 1: 3 vs 4) [operands: f32[2,3], f32[4]] [traced at /user-iife.js:2:12]\n' +
    '    at Xt.error (http://127.0.0.1:8765/kiln.iife.min.js:7:1194)\n' +
    '    at wn (http://127.0.0.1:8765/kiln.iife.min.js:7:8003)\n' +
    '    at Za (http://127.0.0.1:8765/kiln.iife.min.js:7:8638)\n' +
    '    at De (http://127.0.0.1:8765/kiln.iife.min.js:7:8871)\n' +
    '    at P (http://127.0.0.1:8765/kiln.iife.min.js:7:9301)\n' +
    '    at j.add (http://127.0.0.1:8765/kiln.iife.min.js:7:18728)\n' +
    '    at forward (http://127.0.0.1:8765/user-iife.js:2:12)\n' +
    '    at http://127.0.0.1:8765/user-iife.js:8:27\n' +
    '    at http://127.0.0.1:8765/kiln.iife.min.js:7:20821\n' +
    '    at er (http://127.0.0.1:8765/kiln.iife.min.js:7:380)',
  firefoxEsm:
    'KilnError@http://127.0.0.1:8765/kiln.esm.js:89:9\n' +
    'error@http://127.0.0.1:8765/kiln.esm.js:1760:12\n' +
    'broadcastShapes@http://127.0.0.1:8765/kiln.esm.js:1994:22\n' +
    'alignOperands@http://127.0.0.1:8765/kiln.esm.js:2015:32\n' +
    'binary2@http://127.0.0.1:8765/kiln.esm.js:2027:31\n' +
    'add@http://127.0.0.1:8765/kiln.esm.js:2049:28\n' +
    'add@http://127.0.0.1:8765/kiln.esm.js:2425:12\n' +
    'forward@http://127.0.0.1:8765/user-esm.js:3:12\n' +
    '@http://127.0.0.1:8765/user-esm.js:7:32\n' +
    'trace/graph<@http://127.0.0.1:8765/kiln.esm.js:2649:24\n' +
    'withTrace@http://127.0.0.1:8765/kiln.esm.js:1697:12\n' +
    'trace@http://127.0.0.1:8765/kiln.esm.js:2646:13\n' +
    '@http://127.0.0.1:8765/user-esm.js:7:5\n',
  firefoxIife:
    'h@http://127.0.0.1:8765/kiln.iife.min.js:1:1631\n' +
    'error@http://127.0.0.1:8765/kiln.iife.min.js:7:1194\n' +
    'wn@http://127.0.0.1:8765/kiln.iife.min.js:7:8003\n' +
    'Za@http://127.0.0.1:8765/kiln.iife.min.js:7:8640\n' +
    'De@http://127.0.0.1:8765/kiln.iife.min.js:7:8873\n' +
    'P@http://127.0.0.1:8765/kiln.iife.min.js:7:9303\n' +
    'add@http://127.0.0.1:8765/kiln.iife.min.js:7:18728\n' +
    'forward@http://127.0.0.1:8765/user-iife.js:2:12\n' +
    '@http://127.0.0.1:8765/user-iife.js:8:34\n' +
    'zo/o<@http://127.0.0.1:8765/kiln.iife.min.js:7:20822\n' +
    'er@http://127.0.0.1:8765/kiln.iife.min.js:7:380\n' +
    'zo@http://127.0.0.1:8765/kiln.iife.min.js:7:20745\n' +
    '@http://127.0.0.1:8765/user-iife.js:8:7\n' +
    '@http://127.0.0.1:8765/user-iife.js:16:3\n',
};

const ESM = ownCode('http://127.0.0.1:8765/kiln.esm.js');
const IIFE = ownCode('http://127.0.0.1:8765/kiln.iife.min.js');

describe('parseFrame', () => {
  it('reads V8 frames: named, anonymous, async, constructor, spaces and parentheses in paths', () => {
    expect(parseFrame('    at forward (http://127.0.0.1:8765/user-esm.js:3:12)')).toEqual({ file: 'http://127.0.0.1:8765/user-esm.js', line: 3, col: 12 });
    expect(parseFrame('    at http://127.0.0.1:8765/user-esm.js:7:25')).toEqual({ file: 'http://127.0.0.1:8765/user-esm.js', line: 7, col: 25 });
    expect(parseFrame('    at async main (file:///home/me/model.ts:10:3)')).toEqual({ file: '/home/me/model.ts', line: 10, col: 3 });
    expect(parseFrame('    at async file:///home/me/model.ts:11:1')).toEqual({ file: '/home/me/model.ts', line: 11, col: 1 });
    expect(parseFrame('    at new Mlp (/home/my models/mlp (2).ts:4:9)')).toEqual({ file: '/home/my models/mlp (2).ts', line: 4, col: 9 });
    expect(parseFrame('    at Object.<anonymous> (C:\\work\\mlp.ts:2:1)')).toEqual({ file: 'C:\\work\\mlp.ts', line: 2, col: 1 });
    expect(parseFrame('    at forward (http://localhost:5173/src/model.ts?t=1712:8:2)')).toEqual({ file: 'http://localhost:5173/src/model.ts', line: 8, col: 2 });
  });

  it('reads SpiderMonkey frames: named, anonymous, nested arrows, async', () => {
    expect(parseFrame('forward@http://127.0.0.1:8765/user-iife.js:2:12')).toEqual({ file: 'http://127.0.0.1:8765/user-iife.js', line: 2, col: 12 });
    expect(parseFrame('@http://127.0.0.1:8765/user-iife.js:8:34')).toEqual({ file: 'http://127.0.0.1:8765/user-iife.js', line: 8, col: 34 });
    expect(parseFrame('zo/o<@http://127.0.0.1:8765/kiln.iife.min.js:7:20822')).toEqual({ file: 'http://127.0.0.1:8765/kiln.iife.min.js', line: 7, col: 20822 });
    expect(parseFrame('async*main@http://localhost:5173/@fs/work/app.js:4:3')).toEqual({ file: 'http://localhost:5173/@fs/work/app.js', line: 4, col: 3 });
  });

  it('gives undefined for lines without a location: messages, native and eval frames', () => {
    for (const line of [
      'KilnError: error: add: shapes [2,3] and [4] cannot be broadcast together',
      'Error',
      '',
      '    at Array.map (<anonymous>)',
      '    at new Promise (native)',
      '    at eval (eval at compile (http://x/a.js:1:2), <anonymous>:3:4)',
      'f@http://x/a.js line 2 > eval:1:5',
      'forEach@[native code]',
    ])
      expect(parseFrame(line), line).toBeUndefined();
  });
});

describe('own frames', () => {
  it('unbundled, this package directory is internal; in a bundle, the bundle file is', () => {
    expect(ownCode('/work/main/packages/frontend/src/source-loc.ts').bundled).toBe(false);
    expect(ownCode('http://localhost:5173/packages/frontend/src/source-loc.ts').bundled).toBe(false);
    expect(ownCode('/app/node_modules/@kiln/frontend/dist/source-loc.js').bundled).toBe(false);
    expect(ESM.bundled).toBe(true);
    const src = ownCode('/work/main/packages/frontend/src/source-loc.ts');
    expect(isInternalFile('/work/main/packages/frontend/src/modules/linear.ts', src)).toBe(true);
    expect(isInternalFile('/work/main/packages/ir/src/builder.ts', src)).toBe(true);
    expect(isInternalFile('/work/main/examples/mlp.ts', src)).toBe(false);
    expect(isInternalFile('http://127.0.0.1:8765/kiln.esm.js', ESM)).toBe(true);
    expect(isInternalFile('http://127.0.0.1:8765/user-esm.js', ESM)).toBe(false);
  });
});

describe('userFrame on recorded stacks', () => {
  it('Chromium, ESM bundle', () => {
    expect(userFrame(RECORDED.chromiumEsm, ESM)).toEqual({ file: 'http://127.0.0.1:8765/user-esm.js', line: 3, col: 12 });
  });
  it('Chromium, minified IIFE bundle', () => {
    expect(userFrame(RECORDED.chromiumIife, IIFE)).toEqual({ file: 'http://127.0.0.1:8765/user-iife.js', line: 2, col: 12 });
  });
  it('Firefox, ESM bundle', () => {
    expect(userFrame(RECORDED.firefoxEsm, ESM)).toEqual({ file: 'http://127.0.0.1:8765/user-esm.js', line: 3, col: 12 });
  });
  it('Firefox, minified IIFE bundle', () => {
    expect(userFrame(RECORDED.firefoxIife, IIFE)).toEqual({ file: 'http://127.0.0.1:8765/user-iife.js', line: 2, col: 12 });
  });
  it("with no stack to read its own file from, every located frame is the user's", () => {
    expect(userFrame(RECORDED.firefoxEsm, ownCode(undefined))).toEqual({ file: 'http://127.0.0.1:8765/kiln.esm.js', line: 89, col: 9 });
  });
});

describe('callerLoc', () => {
  it('names this test file, relative to the working directory', () => {
    const loc = callerLoc();
    expect(loc?.file).toBe('packages/frontend/test/source-loc.test.ts');
  });

  it('never throws: a frozen Error.stackTraceLimit or a stack getter that throws gives a location or undefined', () => {
    const desc = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
    try {
      Object.defineProperty(Error, 'stackTraceLimit', { value: 10, writable: false, configurable: true });
      expect(() => callerLoc()).not.toThrow();
      Object.defineProperty(Error, 'stackTraceLimit', {
        get: () => 10,
        set: () => {
          throw new TypeError('frozen');
        },
        configurable: true,
      });
      expect(() => callerLoc()).not.toThrow();
    } finally {
      if (desc !== undefined) Object.defineProperty(Error, 'stackTraceLimit', desc);
    }
    for (const stack of ['', 'garbage', '\n\n@', 'at (:1:2)', '@:::']) expect(() => userFrame(stack, IIFE)).not.toThrow();
  });
});
