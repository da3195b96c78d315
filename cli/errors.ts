/**
 * Errors the CLI reports as one line and an exit code, never as a stack trace.
 * Exit codes: 1 = the check ran and found a violation (a property, an invariant, a stale file);
 * 2 = the input was wrong (usage, a malformed scenario line, an unknown flag).
 */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export class InputError extends Error {
  readonly exitCode = 2;
  /** `file:line:col: message`, the form editors and CI annotate. */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${col}: ${detail}`);
  }
}

export class CheckFailed extends Error {
  readonly exitCode = 1;
}

export function exitCodeOf(err: unknown): number | undefined {
  if (err instanceof UsageError || err instanceof InputError || err instanceof CheckFailed)
    return err.exitCode;
  return undefined;
}
