// @kiln/codegen-wgsl — see the package's modules.
