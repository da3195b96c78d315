/**
 * Small builders for writing checks: a case is a title, a scenario in docker CLI syntax and a
 * predicate over the story it produces. Cluster snippets keep scenarios short and uniform.
 */
import type { Case, Check, Feature, Judged, RaftCase, Role, ScenarioCase } from '../check.ts';
import type { Story } from '../story.ts';

export const INIT = 'docker swarm init --hostname manager-1';
export const worker = (n: number, extra = '') =>
  `docker swarm join --hostname worker-${n} --token worker${extra ? ` ${extra}` : ''}`;
export const manager = (n: number) => `docker swarm join --hostname manager-${n} --token manager`;

/** `docker swarm init` plus managers 2..M and workers 1..W. */
export function cluster(managers: number, workers: number): string[] {
  const out = [INIT];
  for (let i = 2; i <= managers; i++) out.push(manager(i));
  for (let i = 1; i <= workers; i++) out.push(worker(i));
  return out;
}

function scen(role: Role, title: string, lines: string[], holds: (s: Story) => Judged): ScenarioCase {
  return { kind: 'scenario', role, title, scenario: lines.join('\n'), holds };
}

/** The setting the claim describes. */
export const typical = (title: string, lines: string[], holds: (s: Story) => Judged) =>
  scen('typical', title, lines, holds);

/** A setting the claim leaves out. */
export const condition = (title: string, lines: string[], holds: (s: Story) => Judged) =>
  scen('condition', title, lines, holds);

export const raft = (role: Role, c: Omit<RaftCase, 'kind' | 'role'>): RaftCase => ({
  kind: 'raft',
  role,
  ...c,
});

export const cases = (...cs: Case[]): Check => ({ kind: 'cases', cases: cs });

export const pending = (needs: Feature, plan: string): Check => ({ kind: 'pending', needs, plan });

export const judged = (holds: boolean, because: string): Judged => ({ holds, because });
