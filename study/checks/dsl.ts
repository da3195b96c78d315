/**
 * Small builders for writing checks: a case is a title, a scenario in docker CLI syntax and a
 * predicate over the story it produces. Cluster snippets keep scenarios short and uniform.
 */

import { findNode } from '../../model/index.ts';
import type { Case, Check, Feature, Judged, RaftCase, Role, ScenarioCase } from '../check.ts';
import { runningCount, runningOn, type Story } from '../story.ts';

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

type Premise = (s: Story) => string | null;

function scen(
  role: Role,
  title: string,
  lines: string[],
  holds: (s: Story) => Judged,
  premise?: Premise,
): ScenarioCase {
  return { kind: 'scenario', role, title, scenario: lines.join('\n'), holds, premise };
}

/** The setting the claim describes. */
export const typical = (title: string, lines: string[], holds: (s: Story) => Judged, premise?: Premise) =>
  scen('typical', title, lines, holds, premise);

/** A setting the claim leaves out. */
export const condition = (title: string, lines: string[], holds: (s: Story) => Judged, premise?: Premise) =>
  scen('condition', title, lines, holds, premise);

/** Premise helpers: each returns null when satisfied, else what is missing. */
export const need = (ok: boolean, what: string): string | null => (ok ? null : what);
export const all =
  (...ps: Premise[]): Premise =>
  (s) => {
    for (const p of ps) {
      const m = p(s);
      if (m !== null) return m;
    }
    return null;
  };

export const raft = (role: Role, c: Omit<RaftCase, 'kind' | 'role'>): RaftCase => ({
  kind: 'raft',
  role,
  ...c,
});

export const cases = (...cs: Case[]): Check => ({ kind: 'cases', cases: cs });

export const pending = (needs: Feature, plan: string): Check => ({ kind: 'pending', needs, plan });

export const judged = (holds: boolean, because: string): Judged => ({ holds, because });

export const ran =
  (svc: string, n = 1): Premise =>
  (s) =>
    need(
      s.states.some((st) => runningCount(st, svc) >= n),
      `${svc} never had ${n} running task(s)`,
    );

/** A line starting with this was run (accepted or refused). */
export const tried =
  (prefix: string): Premise =>
  (s) =>
    need(
      s.records.some((r) => r.command.startsWith(prefix)),
      `no '${prefix}' line`,
    );

export const leaderless: Premise = (s) =>
  need(
    s.states.some((st) => st.initialized && st.raft.leader === ''),
    'the swarm never lost its leader',
  );

export const managerUp: Premise = (s) =>
  need(
    s.final.nodes.some((n) => n.role === 'manager' && n.up),
    'no manager is up to talk to',
  );

export const managersDown =
  (k: number): Premise =>
  (s) =>
    need(
      s.final.nodes.filter((n) => n.role === 'manager' && !n.up).length >= k,
      `fewer than ${k} managers down`,
    );

/** `host` has availability `av` at the end, and ran a task of `svc` before the last line. */
export const setTo =
  (host: string, av: string, svc: string): Premise =>
  (s) => {
    const n = findNode(s.final, host);
    if (!n || n.availability !== av) return `${host} is not ${av}`;
    const before = s.states.at(-2);
    return need(
      before !== undefined && runningOn(before, svc, host).length > 0,
      `${host} ran no ${svc} task before`,
    );
  };

/** The service exists at the end (its create was accepted). */
export const created =
  (svc: string): Premise =>
  (s) =>
    need(
      s.final.services.some((x) => x.spec.name === svc),
      `service ${svc} was not created`,
    );
