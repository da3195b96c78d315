/**
 * The cluster's atomic control-plane gate (model/controlplane.ts) agrees with the message-level Raft run
 * in lockstep with it (model/raft/shadow.ts): after every fault and membership change, "some manager can
 * lead" holds exactly when a retrying client's write commits in the Raft under fair scheduling; every write
 * the cluster took commits; every voter added or removed goes through AddNode / RemoveNode (the latter
 * under the Raft leader's own CanRemoveMember).
 *
 * Both verdicts are witnessed, as are the situations that make the check interesting (a demoted leader, a
 * demotion refused for quorum, --force-new-cluster, a manager joining late, a re-election).
 *   SWARM_GATE_RUNS=200 SWARM_GATE_STEPS=300 npx vitest run properties/raft/clusterGate.test.ts
 */
import { expect, test } from 'vitest';
import { type ClusterRunStats, clusterRun } from './clusterRun.ts';
import { baseSeed, envInt } from './rng.ts';

const RUNS = envInt('SWARM_GATE_RUNS', 40);
const STEPS = envInt('SWARM_GATE_STEPS', 150);

test(`gate agrees with the message-level Raft (${RUNS} runs × ${STEPS} steps)`, () => {
  const stats: ClusterRunStats = { steps: 0, compared: { yes: 0, no: 0, stale: 0 }, witnesses: new Set() };
  const seed = baseSeed();
  for (let i = 0; i < RUNS; i++) clusterRun(seed + i, { steps: STEPS, shadow: true }, stats);
  expect(stats.compared.yes, 'the gate never said yes after a fault').toBeGreaterThan(0);
  expect(stats.compared.no, 'the gate never said no after a fault').toBeGreaterThan(0);
  for (const w of [
    'leader-demoted',
    'demote-refused-quorum',
    'demote-refused-last',
    'force-new-cluster',
    'raft-join',
    're-election',
    'leader-lost',
    'command-refused-no-leader',
  ])
    expect([...stats.witnesses], `witness ${w} never reached`).toContain(w);
});
