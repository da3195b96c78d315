/**
 * Study cards: one Markdown file per computed claim under reports/study/, the scenario it shows as a
 * replayable `.swarm` file under reports/study/scenarios/, and an index (reports/study/README.md).
 *
 * A false or imprecise claim's card shows the counterexample (the case that failed), a true claim's
 * card the witness. Everything on a card is computed: the verdict, the reason, the narration and the
 * sequence diagram come from the run; only the claim, correction and citation come from the catalog.
 */
import { type CaseOutcome, type Computed, scenarioOf } from './check.ts';
import type { Claim } from './claims.ts';
import type { ClaimResult } from './index.ts';
import { narrate, sequenceDiagram } from './sequence.ts';
import { tell } from './story.ts';

export const STUDY_DIR = 'reports/study';
export const SCENARIO_DIR = `${STUDY_DIR}/scenarios`;

export const scenarioPath = (id: string) => `${SCENARIO_DIR}/${id}.swarm`;
export const cardPath = (id: string) => `${STUDY_DIR}/${id}.md`;

const VERDICT_WORD: Record<string, string> = {
  true: 'TRUE',
  false: 'FALSE',
  imprecise: 'IMPRECISE',
  pending: 'PENDING',
};

/** `seeds/001_….txt:67` → a readable source label. */
export function sourceLabel(c: Claim): string {
  return c.source === 'misconception'
    ? 'a common misconception (DCA exam preparation)'
    : `study notes, ${c.source}`;
}

/** The `.swarm` file of a card: a header that says what it shows, then the scenario as run. */
export function scenarioFile(r: ClaimResult): string | null {
  const shown = r.computed.shown;
  const sc = shown && scenarioOf(shown);
  if (!sc) return null;
  const c = r.claim;
  const role = r.computed.verdict === 'true' ? 'Witness' : 'Counterexample';
  const header = [
    `${role} for the claim "${c.claim}" (${c.source})`,
    `Verdict computed by the model: ${r.computed.verdict}. ${shown.case.title}.`,
    `The model: ${sc.judged.because}.`,
    `What is true: ${c.correction}`,
    `Source: ${c.citation}`,
    `Replay: npx swarm-model run ${scenarioPath(c.id)}`,
  ];
  const wrapped = header.flatMap((h) => wrap(h, 98)).map((l) => `# ${l}`.trimEnd());
  return `${wrapped.join('\n')}\n${sc.text}\n`;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

function otherCases(comp: Computed): string[] {
  const rest = comp.outcomes.filter((o) => o !== comp.shown);
  if (rest.length === 0) return [];
  return [
    '## The other cases the model ran',
    '',
    ...rest.map(
      (o) =>
        `- *${o.case.role}* — ${o.case.title}: the claim **${o.judged.holds ? 'holds' : 'fails'}** (${o.judged.because}).`,
    ),
    '',
  ];
}

function raftSection(o: CaseOutcome): string[] {
  if (o.case.kind !== 'raft') return [];
  const out = ['## How it was computed', '', `${o.case.method}. Recompute: \`${o.case.replay}\`.`, ''];
  if (o.judged.trace) out.push(...o.judged.trace.map((t, i) => `${i + 1}. ${t}`), '');
  return out;
}

export function card(r: ClaimResult): string {
  const c = r.claim;
  const comp = r.computed;
  const v = comp.verdict;
  const out = [
    `# ${c.claim}`,
    '',
    `**Verdict: ${VERDICT_WORD[v]}** · topic: ${c.topic} · source: ${sourceLabel(c)} · claim \`${c.id}\``,
    '',
  ];
  if (v === 'pending') {
    out.push(`Not computed yet: needs ${comp.needs}. Planned check: ${comp.plan}`, '');
    return `${out.join('\n')}\n`;
  }
  const shown = comp.shown!;
  const sc = scenarioOf(shown);
  // Narrate the .swarm file itself, so line numbers match what `swarm-model run` prints on replay.
  const file = scenarioFile(r);
  const replayed = file ? tell(file, scenarioPath(c.id)) : null;
  const why =
    v === 'true'
      ? 'The model confirms it. A witness run:'
      : v === 'false'
        ? 'The model refutes it in the very setting the claim describes:'
        : 'It holds in the setting the claim describes, but not in this one, which the claim leaves out:';
  out.push(
    '## What is true',
    '',
    c.correction,
    '',
    `Where SwarmKit decides it: \`${c.citation}\``,
    '',
    `## ${v === 'true' ? 'Witness' : 'Counterexample'}: ${shown.case.title}`,
    '',
    why,
    '',
    `> ${shown.judged.because}.`,
    '',
  );
  out.push(...raftSection(shown));
  if (sc) {
    const isIllustration = shown.case.kind === 'raft';
    if (isIllustration) {
      out.push('The same fact on the cluster model, as docker commands:', '', `> ${sc.judged.because}.`, '');
    }
    out.push(
      '```sh',
      ...sc.text.split('\n'),
      '```',
      '',
      `Replay: \`npx swarm-model run ${scenarioPath(c.id)}\``,
      '',
      ...(/^(crash|restart|partition|heal|exit|reject|wait|settle)\b/m.test(sc.text)
        ? [
            'Lines that are not docker commands are the model\'s faults and time: `crash NODE` (the machine stops), `exit TASK CODE` (the container exits), `partition A | B`, `wait 20s` (time passes, timers fire); see the README, "Scenarios".',
            '',
          ]
        : []),
      '### Step by step',
      '',
      "Each line of the scenario file (line numbers as in the file), then what each SwarmKit component changed: only the fields that changed; an agent's steps for one task are joined with →.",
      '',
      '```',
      ...narrate(replayed ?? sc.story),
      '```',
      '',
      '### Who said what',
      '',
      '```mermaid',
      sequenceDiagram(replayed ?? sc.story),
      '```',
      '',
    );
  }
  out.push(...otherCases(comp));
  out.push(`Recompute this card's verdict: \`npx swarm-model study --claim ${c.id}\``, '');
  return `${out.join('\n')}`;
}

/** reports/study/README.md: the claims table with links. */
export function cardIndex(rs: ClaimResult[], summary: string): string {
  const rows = rs.map((r) => {
    const v = r.computed.verdict === 'pending' ? `pending (needs ${r.computed.needs})` : r.computed.verdict;
    return `| [${r.claim.id}](${r.claim.id}.md) | ${r.claim.topic} | ${v} | ${r.claim.claim.replace(/\|/g, '\\|')} |`;
  });
  return [
    '# Claims about Swarm, checked by the model',
    '',
    'Generated by `npx swarm-model study` (or `npm start`); do not edit. Each card shows the claim, the',
    'verdict the model computed, what is true (with the SwarmKit source), the shortest scenario the model',
    'found (a counterexample, or a witness for true claims) with a replay command, the narration and a',
    'sequence diagram.',
    '',
    summary,
    '',
    '| claim | topic | verdict | statement |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Every file `swarm-model study` writes, path → content (deterministic). */
export function studyFiles(rs: ClaimResult[], summary: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of rs) {
    files.set(cardPath(r.claim.id), card(r));
    const sc = scenarioFile(r);
    if (sc) files.set(scenarioPath(r.claim.id), sc);
  }
  files.set(`${STUDY_DIR}/README.md`, cardIndex(rs, summary));
  return files;
}
