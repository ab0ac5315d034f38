// The autotuner: kernel signatures, timing, the persistent schedule cache and its stores.
export {
  TUNE_CACHE_VERSION,
  mergeEntries,
  memoryTuneStore,
  parseTuneCache,
  serializeTuneCache,
  type TuneCacheFile,
  type TuneEntries,
  type TuneEntry,
  type TuneStore,
} from './cache-format.js';
export { adapterIdentity, kernelSignature, type KernelSignature, type TunableClass } from './signature.js';
export { CANDIDATE_SOURCES, convCandidates, gemmCandidates, type CandidateSource } from './candidates.js';
export { MIN_TUNED_ELEMENTS, elementwiseSignatureKey, elementwiseTuneCandidates } from './elementwise-candidates.js';
export { median, tuneMeasurementCount } from './measure.js';
export { tunableSignatures, tuneGraph, type ScheduleChoices, type TuneMode, type TuneReportRow } from './tuner.js';
export { chooseForced, chooseFromCache, type ChooseSchedule, type KernelChoice } from './apply.js';
export { idbTuneStore } from './idb-store.js';
