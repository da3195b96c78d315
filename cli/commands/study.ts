import { createInterface } from 'node:readline';
import { SCENARIO_DIR, STUDY_DIR, studyFiles } from '../../study/cards.ts';
import { scenarioOf } from '../../study/check.ts';
import { claims } from '../../study/claims.ts';
import { type Drill, drillsFor, type Statement } from '../../study/drills.ts';
import { claimsTable, studyAll, studyClaim, tally, tallyLine } from '../../study/index.ts';
import { writeFiles } from '../../study/write.ts';
import { intFlag, parseArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { CheckFailed, UsageError } from '../errors.ts';
import { PACKAGE_ROOT } from './diagrams.ts';

const FLAGS = [
  { name: 'claim', value: 'ID', help: "recompute one claim's verdict and print its cases" },
  {
    name: 'drill',
    help: 'ask DCA-style yes/no drills computed by the model (answers from stdin or --answers)',
  },
  {
    name: 'answers',
    value: 'LIST',
    help: 'with --drill: answers as yes,no,... (y/n), one per statement, in order',
  },
  { name: 'seed', value: 'N', help: 'with --drill: which drills (deterministic; default 1)' },
  { name: 'count', value: 'N', help: 'with --drill: how many drills (default 3)' },
];

/** `swarm-model study`: writes the cards and prints the claims table; `--drill` quizzes; `--claim ID` explains. */
export const study: Command = {
  name: 'study',
  usage: '[--claim ID] | [--drill [--seed N] [--count N] [--answers yes,no,...]]',
  summary: 'compute every claim of the study catalog from the model, write reports/study/ cards; drills',
  flags: FLAGS,
  async run(argv) {
    const args = parseArgs('study', argv, FLAGS);
    if (args.positional.length > 0)
      throw new UsageError(`swarm-model study: unexpected argument '${args.positional[0]}'`);
    const claimId = args.flags.get('claim');
    if (claimId !== undefined) return explainClaim(String(claimId));
    if (args.flags.has('drill')) {
      const seed = intFlag('study', args, 'seed', 1);
      const count = intFlag('study', args, 'count', 3);
      if (count < 1 || count > 50)
        throw new UsageError('swarm-model study: --count must be between 1 and 50');
      const answers = args.flags.get('answers');
      return runDrills(drillsFor(seed, count), typeof answers === 'string' ? parseAnswers(answers) : null);
    }
    for (const f of ['answers', 'seed', 'count'])
      if (args.flags.has(f)) throw new UsageError(`swarm-model study: --${f} only goes with --drill`);
    const rs = studyAll((r, i) =>
      process.stderr.write(`study: ${i + 1}/${claims.length} ${r.claim.id}: ${r.computed.verdict}\n`),
    );
    const t = tally(rs);
    const files = writeFiles(PACKAGE_ROOT, studyFiles(rs, tallyLine(t)), [STUDY_DIR, SCENARIO_DIR]);
    console.log(claimsTable(rs));
    console.log('');
    console.log(tallyLine(t));
    console.log(`wrote ${files.length} files to ${STUDY_DIR}/ (index: ${STUDY_DIR}/README.md)`);
    if (t.disagree > 0)
      throw new CheckFailed(`swarm-model study: ${t.disagree} claim(s) disagree with the catalog`);
    return 0;
  },
};

function explainClaim(id: string): number {
  const claim = claims.find((c) => c.id === id);
  if (!claim) throw new UsageError(`swarm-model study: no claim '${id}' (see reports/study/README.md)`);
  const r = studyClaim(claim);
  console.log(`${claim.id}: "${claim.claim}" (${claim.source})`);
  console.log(`computed verdict: ${r.computed.verdict} (catalog expects ${claim.expected})`);
  if (r.computed.verdict === 'pending') {
    console.log(`needs ${r.computed.needs}; planned: ${r.computed.plan}`);
    return 0;
  }
  for (const o of r.computed.outcomes) {
    console.log(`- ${o.case.role}: ${o.case.title}: the claim ${o.judged.holds ? 'holds' : 'fails'}`);
    console.log(`    ${o.judged.because}`);
    for (const [i, t] of (o.judged.trace ?? []).entries()) console.log(`    ${i + 1}. ${t}`);
    const sc = scenarioOf(o);
    if (sc) for (const l of sc.text.split('\n')) console.log(`    | ${l}`);
  }
  console.log(`what is true: ${claim.correction}`);
  console.log(`source: ${claim.citation}`);
  if (!r.agrees)
    throw new CheckFailed(
      `swarm-model study: ${id}: computed ${r.computed.verdict}, catalog expects ${claim.expected}`,
    );
  return 0;
}

export function parseAnswers(s: string): boolean[] {
  return s
    .split(/[,\s]+/)
    .filter((x) => x !== '')
    .map((x) => {
      const a = toAnswer(x);
      if (a === null) throw new UsageError(`swarm-model study: --answers: '${x}' is not yes/no (y/n)`);
      return a;
    });
}

function toAnswer(x: string): boolean | null {
  const v = x.trim().toLowerCase();
  if (v === 'y' || v === 'yes') return true;
  if (v === 'n' || v === 'no') return false;
  return null;
}

/** Asks each statement, reading answers from --answers, or else from stdin (TTY or pipe), one per line. */
async function runDrills(drills: Drill[], given: boolean[] | null): Promise<number> {
  const statements = drills.flatMap((d) => d.statements.map((s) => ({ d, s })));
  if (given && given.length !== statements.length)
    throw new UsageError(
      `swarm-model study: --answers has ${given.length} answer(s), the drills have ${statements.length} statements`,
    );
  const lines = given ? null : lineReader();
  let score = 0;
  let asked = 0;
  let current: Drill | null = null;
  for (const { d, s } of statements) {
    if (d !== current) {
      current = d;
      console.log('');
      console.log(`Drill ${drills.indexOf(d) + 1}/${drills.length}: ${d.title}`);
      console.log(d.situation);
    }
    console.log(`  ${s.question} [yes/no]`);
    let a: boolean | null = given ? given[asked] : null;
    while (a === null && lines) {
      const l = await lines.next();
      if (l === null) break;
      a = toAnswer(l);
      if (a === null) console.log('  please answer yes or no');
    }
    if (a === null) {
      console.log('  (no answer: input ended)');
      break;
    }
    asked++;
    if (a === s.answer) score++;
    console.log(`  ${a === s.answer ? 'right' : 'wrong'}: ${s.answer ? 'yes' : 'no'}. ${explain(s)}`);
  }
  lines?.close();
  console.log('');
  console.log(
    `score: ${score}/${statements.length}${asked < statements.length ? ` (${asked} answered)` : ''}`,
  );
  return 0;
}

const explain = (s: Statement) => s.explanation;

/** Lines from stdin, one at a time, for a TTY or a pipe alike; null at end of input. */
function lineReader(): { next(): Promise<string | null>; close(): void } {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const queue: string[] = [];
  const waiting: ((l: string | null) => void)[] = [];
  let ended = false;
  rl.on('line', (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else queue.push(l);
  });
  rl.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w(null);
  });
  return {
    next: () =>
      new Promise((res) => {
        if (queue.length) res(queue.shift()!);
        else if (ended) res(null);
        else waiting.push(res);
      }),
    close: () => rl.close(),
  };
}
