// The named passes a pipeline string may use, and its parser: 'dce,cse,fold-constants,...'.

import { KilnError } from '@kiln/ir';
import { csePass } from './cse.js';
import { dcePass } from './dce.js';
import { foldConstantsPass } from './fold-constants.js';
import { fusePass } from './fuse/fuse.js';
import { outlinePass } from './fuse/outline.js';
import { planMemoryPass } from './memory/plan-memory.js';
import type { Pass } from './pass.js';
import { simplifyPass } from './simplify/simplify.js';

export const PASSES: readonly Pass[] = [dcePass, csePass, foldConstantsPass, simplifyPass, fusePass, outlinePass, planMemoryPass];

/** The standard optimization pipeline, in order. */
export const DEFAULT_PIPELINE = 'dce,cse,fold-constants,simplify,cse,dce,fuse,plan-memory';

export function passByName(name: string): Pass | undefined {
  return PASSES.find((p) => p.name === name);
}

/** Parses a comma-separated list of pass names; unknown or empty names are errors that list the known ones. */
export function parsePipeline(text: string): Pass[] {
  const known = PASSES.map((p) => p.name).join(', ');
  const names = text.split(',').map((s) => s.trim());
  if (text.trim() === '') throw new KilnError({ message: `empty pass pipeline (known passes: ${known})` });
  return names.map((name, i) => {
    if (name === '') throw new KilnError({ message: `empty pass name at position ${i + 1} in pipeline "${text}" (known passes: ${known})` });
    const pass = passByName(name);
    if (pass === undefined) throw new KilnError({ message: `unknown pass '${name}' in pipeline "${text}" (known passes: ${known})` });
    return pass;
  });
}
