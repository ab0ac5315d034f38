// The tuner's option values and forced choices: a leaf module, so the backend interface and the
// kernel placement can name them without importing the tuner (and the executable behind it).

import type { KernelSchedule } from '@kiln/codegen-wgsl';

export type TuneMode = 'off' | 'cached' | 'quick' | 'full';

/** Forced schedules by signature key ('default': what codegen picks by itself). */
export type ScheduleChoices = ReadonlyMap<string, KernelSchedule | 'default'>;
