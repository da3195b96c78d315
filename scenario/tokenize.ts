/**
 * Splits one scenario line into words the way a POSIX shell would (without expansions), remembering
 * the column where each word starts so that an error can point at it.
 *
 * Quoting rules, as in `sh`: outside quotes a backslash takes the next character literally; inside
 * '…' everything is literal; inside "…" a backslash escapes only `"`, `\`, `$` and `` ` ``. A `#` at
 * the start of a word begins a comment that runs to the end of the line. No variables, globs or
 * pipes: scenario lines are data, not programs.
 */

export interface Token {
  /** The word after quote removal. */
  text: string;
  /** 1-based column of the word's first character (a quote counts), in UTF-16 code units. */
  col: number;
}

/** A lexical error: message and 1-based column. The parser turns it into an InputError. */
export class LexError extends Error {
  constructor(
    readonly col: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    if (line[i] === '#') break;
    const start = i;
    let text = '';
    while (i < n && !isSpace(line[i])) {
      const c = line[i];
      if (c === '\\') {
        if (i + 1 >= n) throw new LexError(i + 1, 'a backslash at the end of a line escapes nothing');
        text += line[i + 1];
        i += 2;
      } else if (c === "'") {
        const close = line.indexOf("'", i + 1);
        if (close < 0) throw new LexError(i + 1, 'unterminated single quote');
        text += line.slice(i + 1, close);
        i = close + 1;
      } else if (c === '"') {
        const quoteCol = i + 1;
        i++;
        let closed = false;
        while (i < n) {
          const d = line[i];
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === '\\' && i + 1 < n && '"\\$`'.includes(line[i + 1])) {
            text += line[i + 1];
            i += 2;
          } else {
            text += d;
            i++;
          }
        }
        if (!closed) throw new LexError(quoteCol, 'unterminated double quote');
      } else {
        text += c;
        i++;
      }
    }
    tokens.push({ text, col: start + 1 });
  }
  return tokens;
}
