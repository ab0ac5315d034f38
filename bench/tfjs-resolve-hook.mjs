// Benchmarks: a Node module-resolution hook for TF.js's ESM build in Node. tfjs-core's
// dist/register_all_gradients.js (the gradients, which the Node bundle lacks) imports extensionless
// paths such as './gradients/Abs_grad', and './gradients' is both a file and a directory; resolve
// such specifiers inside tfjs-core to the '.js' file, as a bundler would.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent !== undefined && parent.includes('/@tensorflow/tfjs-core/dist/') && specifier.startsWith('.') && !/\.[cm]?js$/.test(specifier)) {
    const url = new URL(`${specifier}.js`, parent);
    if (existsSync(fileURLToPath(url))) return next(url.href, context);
  }
  return next(specifier, context);
}
