// What the JavaScript environment offers the WebGPU backend: a browser's navigator.gpu, or Node,
// where Dawn's 'webgpu' package is the device (device.ts picks between them; pipelines.ts asks
// whether pipelines may be created asynchronously).

/** The global WebGPU entry point, when this JavaScript environment has one. */
export function navigatorGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu ?? undefined;
}

export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}
