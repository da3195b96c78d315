/**
 * Mutation testing in groups (Stryker 9.6.1, vitest runner; base options in stryker.config.json).
 *
 *   npm run mutation                    every group, in order, then the summary
 *   npm run mutation -- scheduler ...   only the named groups
 *   npm run mutation -- --summary       the summary of the reports already on disk
 *   npm run mutation -- --list          the groups and their files
 *   npm run mutation -- --concurrency 1 GROUP   one test runner (leaves a core free)
 *   npm run mutation -- --remap REV     move equivalent entries to where their line's text is now
 *
 * Why groups: the whole of model/ and machines/ is about 8,500 mutants (2,029 of them in machines/), hours on two cores. Each group
 * keeps its own report and incremental file under reports/stryker/, so a run can stop after any group
 * and the next one (or a later session) resumes where it stopped, re-testing only mutants whose code or
 * covering tests changed.
 *
 * The score counts killed and timed-out mutants over killed + timed out + survived + no coverage.
 * Survivors listed in mutation/equivalent.json (with the reason each cannot be killed) are shown apart
 * and also reported in an "adjusted" score; the raw score is always printed first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

interface Group {
  name: string;
  mutate: string[];
  /** Static mutants (module-level tables) are judged by all tests; see stryker.config.json. */
  ignoreStatic: boolean;
  /** A vitest config narrower than vitest.mutation.config.ts, when only some test files can kill the group's mutants. */
  vitestConfig?: string;
}

export const GROUPS: Group[] = [
  { name: 'scheduler', mutate: ['model/scheduler/**/*.ts'], ignoreStatic: true },
  {
    name: 'orchestrators',
    mutate: ['model/orchestrator/**/*.ts', '!model/orchestrator/updater.ts'],
    ignoreStatic: true,
  },
  { name: 'updater', mutate: ['model/orchestrator/updater.ts'], ignoreStatic: true },
  { name: 'controlapi', mutate: ['model/controlapi/**/*.ts'], ignoreStatic: true },
  {
    name: 'components',
    mutate: [
      'model/agent.ts',
      'model/allocator.ts',
      'model/taskReaper.ts',
      'model/clock.ts',
      'model/settle.ts',
      'model/relation.ts',
      'model/taskState.ts',
    ],
    ignoreStatic: true,
  },
  {
    name: 'controlplane',
    mutate: ['model/dispatcher.ts', 'model/faults.ts', 'model/controlplane.ts', 'model/leadership.ts'],
    ignoreStatic: true,
  },
  // The store and the data every component reads, then the objects (secrets, configs, networks and
  // the routing mesh), then the model invariants and the random-run driver: each small enough to
  // complete within a sitting.
  {
    name: 'store',
    mutate: [
      'model/tx.ts',
      'model/actions.ts',
      'model/lookup.ts',
      'model/byId.ts',
      'model/empty.ts',
      'model/defaults.ts',
      'model/index.ts',
      'model/spec.ts',
      'model/state.ts',
    ],
    ignoreStatic: true,
  },
  { name: 'objects', mutate: ['model/secrets.ts', 'model/network.ts'], ignoreStatic: true },
  { name: 'invariants', mutate: ['model/invariants.ts', 'model/random.ts'], ignoreStatic: true },
  {
    name: 'machines',
    mutate: ['machines/**/*.ts'],
    ignoreStatic: false,
    vitestConfig: 'vitest.mutation-machines.config.ts',
  },
];

const DIR = 'reports/stryker';
/**
 * Each group's incremental file is kept in the repository: it is Stryker's full report for the group
 * (every mutant with its status and the tests that covered it), so a fresh clone can print the summary
 * and resume a rerun where the last one stopped instead of starting over (hours on two cores).
 */
const RESULTS = 'mutation/results';

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  /** How many tests ran against the mutant; 0 on a Survived one means nothing was measured (stryker-js#6213). */
  testsCompleted?: number;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}
interface Equivalent {
  file: string;
  line: number;
  mutator: string;
  /** Omitted: every replacement of this mutator on this line. */
  replacement?: string;
  /** Where the line holds two mutants of the same mutator and replacement: the one at this column. */
  column?: number;
  reason: string;
}

function runGroup(g: Group, concurrency: number | undefined): number {
  mkdirSync(DIR, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  const base = JSON.parse(readFileSync('stryker.config.json', 'utf8'));
  const config = {
    ...base,
    mutate: g.mutate,
    ignoreStatic: g.ignoreStatic,
    ...(g.vitestConfig ? { vitest: { ...base.vitest, configFile: g.vitestConfig } } : {}),
    ...(concurrency ? { concurrency } : {}),
    incrementalFile: `${RESULTS}/${g.name}.json`,
    // One sandbox directory per group, so that two groups can run at once.
    tempDirName: `reports/.tmp/stryker-${g.name}`,
    jsonReporter: { fileName: `${DIR}/${g.name}.json` },
    htmlReporter: { fileName: `${DIR}/${g.name}.html` },
    // One file per tested mutant as it finishes: survivors can be read while the group still runs.
    eventReporter: { baseDir: `${DIR}/events/${g.name}` },
  };
  delete config.$schema;
  const file = `${DIR}/${g.name}.config.json`;
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  console.log(`\n== mutation group ${g.name}: ${g.mutate.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync('npx', ['stryker', 'run', file], { stdio: 'inherit' });
  console.log(
    `== group ${g.name} finished in ${((Date.now() - t0) / 60000).toFixed(1)} min (exit ${r.status})`,
  );
  return r.status ?? 1;
}

const key = (file: string, line: number, mutator: string, replacement?: string, column?: number) =>
  `${file}:${line}:${mutator}:${replacement ?? ''}${column === undefined ? '' : `@${column}`}`;

function summary(): void {
  const eqPath = 'mutation/equivalent.json';
  const equivalents: Equivalent[] = existsSync(eqPath) ? JSON.parse(readFileSync(eqPath, 'utf8')) : [];
  // An entry without a replacement covers every mutant of that mutator on that line.
  const entryKey = (e: Equivalent) => key(e.file, e.line, e.mutator, e.replacement ?? '*', e.column);
  const eq = new Map(equivalents.map((e) => [entryKey(e), e]));
  const lookup = (
    file: string,
    line: number,
    column: number,
    mutator: string,
    replacement?: string,
  ): string | undefined => {
    for (const k of [
      key(file, line, mutator, replacement, column),
      key(file, line, mutator, replacement),
      key(file, line, mutator, '*', column),
      key(file, line, mutator, '*'),
    ])
      if (eq.has(k)) return k;
    return undefined;
  };
  const used = new Set<string>();
  const rows: string[] = [];
  const survivors: string[] = [];
  let tot = { killed: 0, survived: 0, noCov: 0, ignored: 0, equivalent: 0, errors: 0 };
  const missing: string[] = [];
  const staleFiles: string[] = [];
  let unmeasured = 0;
  for (const g of GROUPS) {
    // The latest report on disk, else the committed incremental file (the same report format).
    const p = [`${DIR}/${g.name}.json`, `${RESULTS}/${g.name}.json`].find((f) => existsSync(f));
    if (p === undefined) {
      missing.push(g.name);
      continue;
    }
    const rep: Report = JSON.parse(readFileSync(p, 'utf8'));
    for (const [file, f] of Object.entries(rep.files).sort(([a], [b]) => a.localeCompare(b))) {
      // A report on code that has changed since: its figures are old (rerun the group to refresh them).
      const stale = !existsSync(file) || readFileSync(file, 'utf8') !== f.source;
      if (stale) staleFiles.push(file);
      const c = { killed: 0, survived: 0, noCov: 0, ignored: 0, equivalent: 0, errors: 0 };
      for (const m of f.mutants) {
        const line = m.location.start.line;
        if (m.status === 'Killed' || m.status === 'Timeout') c.killed++;
        else if (m.status === 'Survived' || m.status === 'NoCoverage') {
          const k = lookup(file, line, m.location.start.column, m.mutatorName, m.replacement);
          if (k !== undefined) {
            c.equivalent++;
            used.add(k);
          } else {
            if (m.status === 'Survived' && m.testsCompleted === 0) unmeasured++;
            if (m.status === 'Survived') c.survived++;
            else c.noCov++;
            const text = f.source.split('\n')[line - 1]?.trim() ?? '';
            survivors.push(
              `${file}:${line}:${m.location.start.column} ${m.status} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '')}\n      ${text.slice(0, 140)}`,
            );
          }
        } else if (m.status === 'Ignored') c.ignored++;
        else c.errors++;
      }
      const judged = c.killed + c.survived + c.noCov + c.equivalent;
      const raw = judged === 0 ? 100 : (100 * c.killed) / judged;
      const adj = judged - c.equivalent === 0 ? 100 : (100 * c.killed) / (judged - c.equivalent);
      rows.push(
        `| ${file}${stale ? ' (stale)' : ''} | ${c.killed} | ${c.survived} | ${c.noCov} | ${c.equivalent} | ${c.ignored} | ${raw.toFixed(1)} | ${adj.toFixed(1)} |`,
      );
      tot = {
        killed: tot.killed + c.killed,
        survived: tot.survived + c.survived,
        noCov: tot.noCov + c.noCov,
        ignored: tot.ignored + c.ignored,
        equivalent: tot.equivalent + c.equivalent,
        errors: tot.errors + c.errors,
      };
    }
  }
  const judged = tot.killed + tot.survived + tot.noCov + tot.equivalent;
  const raw = judged === 0 ? 0 : (100 * tot.killed) / judged;
  const adj = judged - tot.equivalent === 0 ? 0 : (100 * tot.killed) / (judged - tot.equivalent);
  const out = [
    '# Mutation summary',
    '',
    `Groups with a report: ${GROUPS.filter((g) => !missing.includes(g.name))
      .map((g) => g.name)
      .join(', ')}${missing.length ? `; missing: ${missing.join(', ')}` : ''}.`,
    '',
    staleFiles.length === 0
      ? 'Every report matches the code as it is.'
      : `Stale (the code changed after its group's last run; rerun the group): ${staleFiles.length} file(s), marked below.`,
    '',
    '| file | killed | survived | no coverage | equivalent | ignored (static) | score % | adjusted % |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    `| **total** | ${tot.killed} | ${tot.survived} | ${tot.noCov} | ${tot.equivalent} | ${tot.ignored} | **${raw.toFixed(2)}** | **${adj.toFixed(2)}** |`,
    '',
    unmeasured === 0
      ? ''
      : `Of the survivors, ${unmeasured} ran with zero tests completed: Stryker's vitest runner scores such a run Survived without measuring anything (stryker-js#6213). They are counted as survivors here; a rerun of the group re-tests them.`,
    '',
    `Survivors not listed as equivalent (${survivors.length}):`,
    '',
    ...survivors.map((s) => `- ${s}`),
  ];
  const stale = equivalents.filter((e) => !used.has(entryKey(e)));
  if (stale.length > 0 && missing.length === 0)
    out.push(
      '',
      `Entries of ${eqPath} that match no surviving mutant (stale, remove them):`,
      ...stale.map((e) => `- ${e.file}:${e.line} ${e.mutator}`),
    );
  const text = `${out.join('\n')}\n`;
  mkdirSync(DIR, { recursive: true });
  writeFileSync(`${DIR}/summary.md`, text);
  console.log(text);
}

/**
 * Editing a file shifts the lines its equivalent entries name. `--remap REV`: each entry whose line
 * text differs from what it was at git revision REV moves to the nearest line with that text now;
 * entries whose text is gone are listed (their mutant no longer exists, or the line was rewritten).
 */
function remap(rev: string): number {
  const eqPath = 'mutation/equivalent.json';
  const entries: Equivalent[] = JSON.parse(readFileSync(eqPath, 'utf8'));
  const before = new Map<string, string[] | null>();
  const linesAt = (file: string): string[] | null => {
    if (!before.has(file)) {
      const r = spawnSync('git', ['show', `${rev}:${file}`], { encoding: 'utf8' });
      before.set(file, r.status === 0 ? r.stdout.split('\n') : null);
    }
    return before.get(file) ?? null;
  };
  let moved = 0;
  const gone: Equivalent[] = [];
  for (const e of entries) {
    const old = linesAt(e.file);
    if (old === null || !existsSync(e.file)) continue;
    const now = readFileSync(e.file, 'utf8').split('\n');
    const text = old[e.line - 1];
    if (now[e.line - 1] === text) continue;
    let best = -1;
    now.forEach((l, i) => {
      if (l === text && (best < 0 || Math.abs(i + 1 - e.line) < Math.abs(best - e.line))) best = i + 1;
    });
    if (best < 0) gone.push(e);
    else {
      e.line = best;
      moved++;
    }
  }
  writeFileSync(eqPath, `${JSON.stringify(entries, null, 2)}\n`);
  console.log(`${moved} entr${moved === 1 ? 'y' : 'ies'} moved to their line's new place.`);
  for (const e of gone)
    console.log(`gone (line text changed since ${rev}): ${e.file}:${e.line} ${e.mutator}`);
  return gone.length === 0 ? 0 : 1;
}

const args = process.argv.slice(2);
const ri = args.indexOf('--remap');
if (ri >= 0) {
  const rev = args[ri + 1];
  if (rev === undefined || rev.startsWith('-')) {
    console.error('mutation: --remap needs a git revision (the commit the entries were written against)');
    process.exit(2);
  }
  process.exit(remap(rev));
} else if (args.includes('--list')) {
  for (const g of GROUPS) console.log(`${g.name.padEnd(14)} ${g.mutate.join(' ')}`);
} else if (args.includes('--summary')) {
  summary();
} else {
  // --concurrency N: test runners at once (default: stryker.config.json's), e.g. 1 to leave a core free.
  let concurrency: number | undefined;
  const ci = args.indexOf('--concurrency');
  if (ci >= 0) {
    concurrency = Number(args[ci + 1]);
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      console.error(
        `mutation: --concurrency needs a positive whole number, got ${args[ci + 1] ?? 'nothing'}`,
      );
      process.exit(2);
    }
    args.splice(ci, 2);
  }
  const flags = args.filter((a) => a.startsWith('-'));
  if (flags.length > 0) {
    console.error(
      `mutation: unknown option ${flags[0]}; options: --list, --summary, --remap REV, --concurrency N, or group names`,
    );
    process.exit(2);
  }
  const unknown = args.filter((a) => !GROUPS.some((g) => g.name === a));
  if (unknown.length > 0) {
    console.error(
      `mutation: unknown group(s) ${unknown.join(', ')}; groups: ${GROUPS.map((g) => g.name).join(', ')}`,
    );
    process.exit(2);
  }
  const chosen = args.length === 0 ? GROUPS : GROUPS.filter((g) => args.includes(g.name));
  let failed = 0;
  for (const g of chosen) if (runGroup(g, concurrency) !== 0) failed++;
  summary();
  process.exit(failed === 0 ? 0 : 1);
}
