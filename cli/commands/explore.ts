/**
 * `swarm-model explore --profile NAME [constants]`: exhaustive breadth-first exploration of a model,
 * reported the way TLC reports it (states generated, distinct states, depth).
 */
import { type ExploreResult, explore, type Progress } from '../../explore/explorer.ts';
import type { Profile } from '../../explore/profile.ts';
import { profiles } from '../../explore/profiles.ts';
import { formatTrace } from '../../explore/trace.ts';
import { type FlagSpec, parseArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';

const COMMON_FLAGS: FlagSpec[] = [
  {
    name: 'profile',
    value: 'NAME',
    help: `the model to explore, one of:\n${profiles.map((p) => `      ${p.name}: ${p.summary}`).join('\n')}`,
  },
  { name: 'no-deadlock', help: 'do not report states without successors (TLC: -deadlock)' },
  { name: 'no-liveness', help: 'skip liveness properties (saves the state graph in memory)' },
  { name: 'max-states', value: 'N', help: 'stop after N distinct states (the result is then incomplete)' },
  { name: 'quiet', help: 'no progress lines on stderr' },
];

/** Profile flags, each once, with their defaults in the help text. */
function profileFlags(): FlagSpec[] {
  const out: FlagSpec[] = [];
  for (const p of profiles)
    for (const f of p.flags) {
      if (out.some((o) => o.name === f.name)) continue;
      out.push({
        name: f.name,
        value: 'N',
        help: `${p.name}: ${f.help} (default ${f.default}: ${f.defaultSource})`,
      });
    }
  return out;
}

const profileNames = () => profiles.map((p) => `${p.name} (${p.short})`).join('; ');

const fmt = (n: number) => n.toLocaleString('en-US');

function progressLine(p: Progress): string {
  return (
    `Progress: ${fmt(p.generated)} states generated, ${fmt(p.distinct)} distinct states, ` +
    `${fmt(p.queue)} on queue, depth ${p.depth}, ${fmt(Math.round(p.statesPerSec))} distinct states/s ` +
    `(${(p.elapsedMs / 1000).toFixed(0)} s)`
  );
}

function summary(r: ExploreResult<unknown>): string[] {
  return [
    `${fmt(r.generated)} states generated, ${fmt(r.distinct)} distinct states found, ${fmt(r.queueLeft)} states left on queue.`,
    `The depth of the complete state graph search is ${r.depth}.`,
    `Fingerprint collision probability (optimistic, as TLC computes it): ${r.collisionProbability.toExponential(1)}`,
    `Finished in ${(r.elapsedMs / 1000).toFixed(1)} s (${fmt(Math.round(r.distinct / Math.max(r.elapsedMs / 1000, 1e-3)))} distinct states/s).`,
  ];
}

function readInt(
  flag: string,
  raw: string | true | undefined,
  dflt: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return dflt;
  if (raw === true || !/^-?\d+$/.test(raw))
    throw new UsageError(`swarm-model explore: --${flag} must be a whole number, got '${raw}'`);
  const v = Number(raw);
  if (v < min || v > max)
    throw new UsageError(`swarm-model explore: --${flag} must be in ${min}..${max}, got ${v}`);
  return v;
}

export const exploreCommand: Command = {
  name: 'explore',
  usage:
    '--profile NAME [--nodes N --services N --task-ids N --max-replicas N --max-terminated N --max-events N]',
  summary: "Explore every reachable state of a model (--profile), checking its properties; TLC's counts",
  flags: [...COMMON_FLAGS, ...profileFlags()],
  async run(argv) {
    const args = parseArgs('explore', argv, this.flags);
    if (args.positional.length > 0)
      throw new UsageError(
        `swarm-model explore: unexpected argument '${args.positional[0]}' (use --profile NAME)`,
      );
    const name = args.flags.get('profile');
    if (name === undefined || name === true)
      throw new UsageError(
        `swarm-model explore: choose a model with --profile NAME. Available profiles: ${profileNames()}`,
      );
    const profile: Profile | undefined = profiles.find((p) => p.name === name);
    if (!profile)
      throw new UsageError(
        `swarm-model explore: unknown profile '${name}'. Available profiles: ${profileNames()}`,
      );
    const values: Record<string, number> = {};
    for (const f of profile.flags)
      values[f.name] = readInt(f.name, args.flags.get(f.name), f.default, f.min ?? 0, f.max ?? 1_000_000);
    for (const [flag] of args.flags) {
      const isCommon = COMMON_FLAGS.some((c) => c.name === flag);
      if (!isCommon && !profile.flags.some((f) => f.name === flag))
        throw new UsageError(`swarm-model explore: --${flag} does not apply to profile ${profile.name}`);
    }
    const maxStates = readInt('max-states', args.flags.get('max-states'), 0, 1, 2 ** 31 - 1);
    let built: ReturnType<Profile['build']>;
    try {
      built = profile.build(values);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(`swarm-model explore: ${e.message}`);
      throw e;
    }
    const { model, constants } = built;
    const quiet = args.flags.has('quiet');
    const checkDeadlock = args.flags.has('no-deadlock') ? false : model.checkDeadlock;
    const liveness = !args.flags.has('no-liveness');
    const what = [
      ...model.invariants.map((i) => i.name),
      ...(model.actionProperties ?? []).map((p) => p.name),
      ...(liveness ? (model.liveness ?? []).map((p) => p.name) : []),
      ...(checkDeadlock ? ['deadlock'] : []),
    ];
    console.log(`Exploring ${model.name}: ${constants}`);
    console.log(`Checking ${what.join(', ')}.`);
    if (liveness && model.fairness?.length)
      console.log(`Fairness: ${model.fairness.map((f) => f.name).join(' /\\ ')}.`);
    const r = explore(model, {
      checkDeadlock,
      liveness,
      maxStates: maxStates || undefined,
      onProgress: quiet ? undefined : (p) => console.error(progressLine(p)),
    });
    if (r.violation) {
      const v = r.violation;
      const title = {
        invariant: `Error: Invariant ${v.name} is violated.`,
        'action-property': `Error: Action property ${v.name} is violated.`,
        deadlock: 'Error: Deadlock reached.',
        error: 'Error: The model could not be evaluated (TLC would stop here too).',
        liveness: `Error: Temporal property ${v.name} is violated.`,
      }[v.kind];
      console.log(title);
      console.log(v.message);
      console.log('The behavior up to this point is:');
      console.log(formatTrace(model, v.trace));
      console.log('');
      for (const line of summary(r)) console.log(line);
      return 1;
    }
    console.log(
      r.complete ? 'Model checking completed. No error has been found.' : 'Stopped early (--max-states).',
    );
    for (const line of summary(r)) console.log(line);
    return 0;
  },
};
