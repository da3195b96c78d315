/**
 * Is a counterexample as short as it can be? A scenario is 1-minimal when removing any single line
 * either breaks the story (the scenario no longer runs, or the predicate cannot read it) or makes the
 * claim hold again. The study test requires every card's counterexample to be 1-minimal, so a card
 * never shows a step the story does not need. (BFS-shortest traces from the explorer, branch tla,
 * will be stronger: shortest over every schedule, not only over deletions.)
 */
import type { ScenarioCase } from './check.ts';
import { tell } from './story.ts';

/** The lines that could be deleted while the claim still fails: empty when the scenario is 1-minimal. */
export function removableLines(c: Pick<ScenarioCase, 'scenario' | 'holds' | 'premise'>): string[] {
  const lines = c.scenario.split('\n');
  const original = tell(c.scenario);
  const out: string[] = [];
  lines.forEach((l, i) => {
    if (l.trim() === '' || l.trim().startsWith('#') || DISPLAY.test(l.trim())) return;
    const story = tell([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
    if (story.inputError !== null && original.inputError === null) return; // no longer a valid scenario
    let premise: string | null = null;
    try {
      premise = c.premise?.(story) ?? null;
    } catch {
      premise = 'unreadable';
    }
    if (premise !== null) return; // the situation is gone: the line was needed
    let stillFails = false;
    try {
      stillFails = !c.holds(story).holds;
    } catch {
      stillFails = false; // the predicate cannot read this story: the line was needed
    }
    if (stillFails) out.push(l);
  });
  return out;
}

/** Read-only commands are there for the reader; they change nothing, so they are never "extra". */
const DISPLAY = /^docker (node ls|service ps)\b/;
