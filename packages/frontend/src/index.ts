// @kiln/frontend — see the package's modules.
