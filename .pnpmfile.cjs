// TypeDoc 0.28 and typescript-eslint 8 need the TypeScript JS API (typescript <= 6.0); typescript 7
// (the native compiler, which `pnpm typecheck` uses) has none. Give each its own typescript 6.0.3.
module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name === 'typedoc' || pkg.name.startsWith('@typescript-eslint/') || pkg.name === 'typescript-eslint') {
        delete pkg.peerDependencies?.typescript;
        pkg.dependencies = { ...pkg.dependencies, typescript: '6.0.3' };
      }
      return pkg;
    },
  },
};
