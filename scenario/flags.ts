/**
 * The flag grammar shared by every scenario command, modelled on docker's flag library
 * (spf13/pflag via cobra): `--flag value`, `--flag=value`, boolean `--flag` (or `--flag=true|false`),
 * one-letter shorthands, `--` ends the flags. Repeating a list flag (`--constraint`) appends.
 * Error texts are pflag's, so a learner sees what docker would print.
 */
import type { Token } from './tokenize.ts';
import { ValueError } from './values.ts';

/** A scenario syntax error at a column; parse.ts adds the file and line. */
export class SyntaxError_ extends Error {
  constructor(
    readonly col: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export interface FlagDef<C> {
  name: string;
  short?: string;
  /** A switch: takes no value unless written `--flag=true|false`. */
  bool?: boolean;
  /** Applies one occurrence. Throw ValueError for a bad value; `tok` is where the value was written. */
  set(ctx: C, value: string, tok: Token): void;
}

export interface FlagUse {
  name: string;
  /** Column of the flag itself. */
  col: number;
  /** Column of its value (the flag's own column for `--flag=value` and switches). */
  valueCol: number;
}

export interface Parsed {
  positionals: Token[];
  /** Every flag occurrence in order. */
  used: FlagUse[];
}

/**
 * Parses `tokens` against `defs`. With `interspersed` false (docker service create), the first
 * positional argument ends the flags: what follows is the image's command line.
 */
export function parseFlags<C>(
  tokens: Token[],
  defs: FlagDef<C>[],
  ctx: C,
  opts: { interspersed: boolean } = { interspersed: true },
): Parsed {
  const positionals: Token[] = [];
  const used: FlagUse[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const a = t.text;
    if (a === '--') {
      positionals.push(...tokens.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(t);
      if (!opts.interspersed) {
        positionals.push(...tokens.slice(i + 1));
        break;
      }
      continue;
    }
    let def: FlagDef<C> | undefined;
    let inline: string | undefined;
    let shown: string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
      def = defs.find((d) => d.name === name);
      shown = `--${name}`;
      if (!def) throw new SyntaxError_(t.col, `unknown flag: ${shown}`);
    } else {
      // A shorthand: `-d`, or `-r=value` / `-rvalue` as pflag allows; only single letters are modelled.
      const letter = a[1];
      def = defs.find((d) => d.short === letter);
      shown = `-${letter}`;
      if (!def) throw new SyntaxError_(t.col, `unknown shorthand flag: '${letter}' in ${a}`);
      if (a.length > 2) inline = a[2] === '=' ? a.slice(3) : a.slice(2);
      if (def.bool && inline !== undefined && a[2] !== '=')
        throw new SyntaxError_(t.col, `unknown shorthand flag: '${a[2]}' in ${a}`);
    }
    let value: string;
    let valueTok: Token;
    if (def.bool) {
      value = inline ?? 'true';
      valueTok = t;
      if (value !== 'true' && value !== 'false')
        throw new SyntaxError_(
          t.col,
          `invalid argument "${value}" for "${shown}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
        );
    } else if (inline !== undefined) {
      value = inline;
      valueTok = t;
    } else {
      const next = tokens[i + 1];
      if (next === undefined) throw new SyntaxError_(t.col, `flag needs an argument: ${shown}`);
      value = next.text;
      valueTok = next;
      i++;
    }
    used.push({ name: def.name, col: t.col, valueCol: valueTok.col });
    try {
      def.set(ctx, value, valueTok);
    } catch (e) {
      if (e instanceof ValueError)
        throw new SyntaxError_(valueTok.col, `invalid argument "${value}" for "${shown}" flag: ${e.message}`);
      throw e;
    }
  }
  return { positionals, used };
}
