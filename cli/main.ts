import { commands } from './commands/index.ts';
import { exitCodeOf, UsageError } from './errors.ts';

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = [
    'swarm-model: an executable formal model of Docker Swarm (SwarmKit).',
    '',
    'Usage: swarm-model COMMAND [ARGS]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'swarm-model COMMAND --help' for a command's arguments.",
  ];
  return lines.join('\n');
}

export function commandHelp(name: string): string {
  const c = commands.find((x) => x.name === name);
  if (!c) throw new UsageError(`swarm-model: unknown command '${name}'`);
  const flagLines = c.flags.map((f) => `  --${f.name}${f.value ? ` ${f.value}` : ''}  ${f.help}`);
  return [
    `Usage: swarm-model ${c.name} ${c.usage}`.trimEnd(),
    '',
    c.summary,
    ...(flagLines.length ? ['', 'Flags:', ...flagLines] : []),
  ].join('\n');
}

/** Runs one CLI invocation and returns its exit code; one-line errors go to stderr. */
export async function main(argv: string[]): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      console.log(helpText());
      return name === undefined ? 2 : 0;
    }
    const cmd = commands.find((c) => c.name === name);
    if (!cmd)
      throw new UsageError(
        `swarm-model: unknown command '${name}'. Known commands: ${commands.map((c) => c.name).join(', ')}`,
      );
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(commandHelp(name));
      return 0;
    }
    return await cmd.run(rest);
  } catch (err) {
    const code = exitCodeOf(err);
    if (code !== undefined) {
      console.error((err as Error).message);
      return code;
    }
    // An internal error is a bug in swarm-model: say so in one line, keep the stack behind a switch.
    console.error(`swarm-model: internal error: ${(err as Error)?.message ?? String(err)}`);
    if (process.env.SWARM_DEBUG) console.error((err as Error)?.stack);
    return 70;
  }
}
