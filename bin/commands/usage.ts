// CLI usage errors: bad flags, bad option values, missing arguments. bin/kiln.ts prints them
// with the command's usage line and exits 2, keeping exit 1 for failures of the work itself.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A finite number from an option value, or a UsageError naming the option. */
export function numberOption(name: string, text: string | undefined, fallback: number, check: (x: number) => boolean = () => true, want = 'a number'): number {
  if (text === undefined) return fallback;
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || !check(x)) throw new UsageError(`--${name} must be ${want}, got '${text}'`);
  return x;
}
