// Modules (k.nn.Module and the layer classes): stateful model objects whose parameters persist
// across traces; the functional forms in nn.ts remain for one-off scripts.
export { Module, type NamedParameter, type StateValue, type LoadStateDictOptions, type LoadReport } from './module.js';
export { Linear, type LinearModuleOptions } from './linear.js';
export { Sequential, Lambda, type Layer } from './sequential.js';
export { Parameter, parameter, buffer } from '../variable.js';
