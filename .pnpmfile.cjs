// TypeDoc 0.28 needs the TypeScript JS API (typescript <= 6.0); typescript 7 (the native compiler,
// which `pnpm typecheck` uses) has none. Give typedoc its own typescript 6.0.3 instead of the peer.
module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name === 'typedoc') {
        delete pkg.peerDependencies?.typescript;
        pkg.dependencies = { ...pkg.dependencies, typescript: '6.0.3' };
      }
      return pkg;
    },
  },
};
