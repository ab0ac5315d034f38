// @kiln/passes — see the package's modules.
