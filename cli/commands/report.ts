import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { generateDiagrams } from '../../machines/diagrams.ts';
import { checkProperty } from '../../properties/harness.ts';
import { PROPERTY_NAMES } from '../../properties/raft/invariants.ts';
import { DEFAULT_RUN, runSuite } from '../../properties/raft/runner.ts';
import { livenessSpec, safetySpec } from '../../properties/suites.ts';
import { cardPath, SCENARIO_DIR, STUDY_DIR, studyFiles } from '../../study/cards.ts';
import { claims } from '../../study/claims.ts';
import { drillsFor } from '../../study/drills.ts';
import { type PropertyLine, reportHtml } from '../../study/html.ts';
import { studyAll, tally, tallyLine } from '../../study/index.ts';
import { writeFiles } from '../../study/write.ts';
import { intFlag, parseArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { CheckFailed, UsageError } from '../errors.ts';
import { DIAGRAM_DIR, PACKAGE_ROOT } from './diagrams.ts';
import { commands } from './index.ts';

const FLAGS = [
  { name: 'runs', value: 'N', help: 'runs per property in the quick property pass (default 15)' },
  { name: 'drills', value: 'N', help: 'drills in the report (default 6)' },
];

const progress = (msg: string) => process.stderr.write(`report: ${msg}\n`);

/** Runs a command with console.log captured (its lines), for a summary row. */
async function captured(f: () => Promise<number>): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  try {
    return { code: await f(), out };
  } catch (e) {
    return { code: 1, out: [...out, `Error: ${(e as Error).message}`] };
  } finally {
    console.log = orig;
  }
}

/**
 * `swarm-model report` (what `npm start` runs): regenerates the diagrams, the claims and cards, runs
 * a quick property pass, and writes reports/index.html, one self-contained offline page.
 */
export const report: Command = {
  name: 'report',
  usage: '[--runs N] [--drills N]',
  summary: 'regenerate diagrams, claims, cards, a quick property pass; write reports/index.html',
  flags: FLAGS,
  async run(argv) {
    const args = parseArgs('report', argv, FLAGS);
    if (args.positional.length > 0)
      throw new UsageError(`swarm-model report: unexpected argument '${args.positional[0]}'`);
    const runs = intFlag('report', args, 'runs', 15);
    const drillCount = intFlag('report', args, 'drills', 6);
    const t0 = performance.now();
    const rows: [string, string, string][] = [];

    progress('diagrams: generating (Graphviz wasm)');
    const files = await generateDiagrams();
    await mkdir(DIAGRAM_DIR, { recursive: true });
    for (const [name, content] of files) await writeFile(join(DIAGRAM_DIR, name), content);
    const diagrams = [...files]
      .filter(([n]) => n.endsWith('.svg'))
      .map(([n, svg]) => ({ name: n.replace(/\.svg$/, ''), svg }));
    rows.push(['diagrams', 'written', `${files.size} files in reports/diagrams/`]);

    progress(`claims: computing ${claims.length} verdicts from the model`);
    const results = studyAll((r, i) => {
      if ((i + 1) % 10 === 0 || i + 1 === claims.length) progress(`claims: ${i + 1}/${claims.length}`);
      void r;
    });
    const t = tally(results);
    const summary = tallyLine(t);
    const study = studyFiles(results, summary);
    writeFiles(PACKAGE_ROOT, study, [STUDY_DIR, SCENARIO_DIR]);
    rows.push(['claims', t.disagree === 0 ? 'agree' : 'MISMATCH', summary]);
    rows.push([
      'cards',
      'written',
      `${[...study.keys()].filter((k) => k.endsWith('.md')).length - 1} cards, ${[...study.keys()].filter((k) => k.endsWith('.swarm')).length} scenarios in ${STUDY_DIR}/`,
    ]);

    const properties: PropertyLine[] = [];
    for (const spec of [safetySpec(), livenessSpec()]) {
      progress(`properties: ${spec.name}, ${runs} runs`);
      const o = checkProperty({ ...spec, runs, seed: 20240601, saveDir: '' });
      properties.push({
        name: `cluster ${spec.name}`,
        verdict: o.failed ? 'fail' : 'pass',
        detail: o.failed
          ? o.report.split('\n').slice(0, 3).join(' ')
          : `${o.runs} runs, ${o.steps} steps (seed 20240601; full budget: npm test)`,
      });
      // Timings vary from run to run: on stderr only, so the report stays byte-for-byte deterministic.
      progress(`properties: ${spec.name}: ${o.seconds.toFixed(1)} s`);
    }
    progress(`properties: raft, ${runs * 4} runs`);
    const rs = runSuite(20260801, runs * 4, DEFAULT_RUN);
    properties.push({
      name: `raft (${PROPERTY_NAMES.length} properties)`,
      verdict: rs.failure ? 'fail' : 'pass',
      detail: rs.failure
        ? `${rs.failure.property}: ${rs.failure.message}`
        : `${rs.runs} random runs, ${rs.steps} steps with crashes, partitions, loss (seed 20260801)`,
    });
    // A small exhaustive exploration: SwarmKit's own TLA+ spec at its shipped model size, through the
    // `explore` command (branch tla), its output captured. It explores the TLA+ transcription, not the
    // cluster model, so the cards' counterexamples stay 1-minimal scenarios rather than BFS traces.
    const explore = commands.find((c) => c.name === 'explore');
    if (explore) {
      progress('explore: swarmkit-tla, the model size of design/tla/models/SwarmKit.cfg');
      const { code, out } = await captured(() => explore.run(['--profile', 'swarmkit-tla', '--quiet']));
      const counts = out.find((l) => /distinct states found/.test(l)) ?? '';
      const verdict = out.find((l) => /^Model checking completed|Error/.test(l)) ?? `exit ${code}`;
      properties.push({
        name: 'exhaustive exploration (SwarmKit.tla)',
        verdict: code === 0 ? 'pass' : 'fail',
        detail: `${verdict} ${counts}`.trim(),
      });
    } else
      properties.push({
        name: 'exhaustive exploration',
        verdict: 'pending',
        detail: 'pending: needs swarm-model explore (branch tla)',
      });
    for (const p of properties) rows.push([p.name, p.verdict, p.detail]);

    progress(`drills: ${drillCount}`);
    const drills = drillsFor(1, drillCount);
    const cards = new Map(results.map((r) => [r.claim.id, study.get(cardPath(r.claim.id)) ?? '']));
    const html = reportHtml({ diagrams, properties, results, tally: t, summary, cards, drills });
    const out = join(PACKAGE_ROOT, 'reports', 'index.html');
    await writeFile(out, html);
    rows.push([
      'drills',
      'written',
      `${drills.length} drills, ${drills.reduce((a, d) => a + d.statements.length, 0)} statements`,
    ]);

    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
    console.log('');
    console.log(
      `report: ${relative(process.cwd(), out) || out} (${(html.length / 1024).toFixed(0)} KiB, offline, self-contained)`,
    );
    progress(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (t.disagree > 0 || properties.some((p) => p.verdict === 'fail'))
      throw new CheckFailed(
        'swarm-model report: a claim disagrees with the catalog or a property failed (see above)',
      );
    return 0;
  },
};
