import { UsageError } from './errors.ts';

/** A flag a subcommand accepts: `--name VALUE` when `value` names the value, else a boolean switch. */
export interface FlagSpec {
  name: string;
  value?: string;
  help: string;
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Strict flag parsing: an unknown flag or a missing value is a usage error (exit 2), never ignored.
 * Accepts `--flag value` and `--flag=value`.
 */
export function parseArgs(cmd: string, argv: string[], specs: FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    const spec = byName.get(name);
    if (!spec) {
      const known = specs.map((s) => `--${s.name}`).join(', ') || 'none';
      throw new UsageError(`swarm-model ${cmd}: unknown flag --${name} (known flags: ${known})`);
    }
    if (spec.value === undefined) {
      if (eq >= 0) throw new UsageError(`swarm-model ${cmd}: --${name} takes no value`);
      flags.set(name, true);
    } else if (eq >= 0) {
      flags.set(name, a.slice(eq + 1));
    } else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) {
        throw new UsageError(`swarm-model ${cmd}: --${name} needs a value (${spec.value})`);
      }
      flags.set(name, v);
      i++;
    }
  }
  return { positional, flags };
}

/** A non-negative integer flag, or the default when absent. */
export function intFlag(cmd: string, args: ParsedArgs, name: string, dflt: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return dflt;
  if (v === true || !/^\d+$/.test(v))
    throw new UsageError(`swarm-model ${cmd}: --${name} must be a whole number, got '${v}'`);
  return Number(v);
}
