/**
 * Secrets and configs as the cluster hands them out: moby/swarmkit:manager/dispatcher/assignments.go
 * (addOrUpdateTask, addTaskDependencies, releaseTaskDependencies) on the leader, and what the agent
 * then holds; the validation and lifecycle rules are in model/controlapi/objects.ts.
 *
 * Need to know, per node, reference counted: a node's assignment set gets a secret or config when
 * the first task on that node that references it enters the set (observed ≥ ASSIGNED and still
 * ≤ RUNNING), and loses it when the last such task goes past RUNNING or is deleted. The model keeps
 * what each agent holds in State.agentObjects, with the referencing tasks as the count, and updates it
 * after every step (`syncAgentObjects`, called by model/relation.ts):
 * - only while the node's agent has a session with the leader's dispatcher (assignments travel over
 *   it); a cut-off agent keeps what it had, as its running containers keep their files;
 * - a secret or config deleted while a task still uses it stays until that task ends;
 * - a machine that is down holds nothing: Linux workers keep secrets only in memory and in the
 *   containers' tmpfs (raft notes §4.4).
 * Managers additionally hold every secret in their copy of the Raft store; that is not an assignment
 * and is not listed here (see `raftAtRest`).
 * Modelling compromise: the dispatcher batches assignment changes and sends them asynchronously; the
 * model applies them in the same step as the task change that causes them.
 */

import { connected } from './controlplane.ts';
import type { SecretRef } from './spec.ts';
import type { AgentObject, Node, State, Task } from './state.ts';
import { rank } from './taskState.ts';
import { mergeState } from './tx.ts';

/** Test-only switches that plant a bug, to show the property catches it (properties/secrets.test.ts). */
export const PLANTED_SECRETS = {
  /** Never withdraw: a secret stays on a node after its last task there stopped. */
  neverWithdraw: false,
};

const ASSIGNED = rank('assigned');
const RUNNING = rank('running');

/**
 * A task counts for its node's assignment set while ASSIGNED..RUNNING (assignments.go (addOrUpdateTask)).
 * Callers match the task's node first; a task past PENDING always has one.
 */
export const taskNeedsDependencies = (t: Task): boolean =>
  rank(t.observed) >= ASSIGNED && rank(t.observed) <= RUNNING;

/** What a node is entitled to now: each secret/config id with the tasks on it that reference it. */
export function entitledObjects(s: State, node: Node): AgentObject[] {
  const out: AgentObject[] = [];
  const add = (kind: 'secret' | 'config', refs: readonly SecretRef[], t: Task) => {
    const list = kind === 'secret' ? s.secrets : s.configs;
    for (const r of refs) {
      const obj = list.find((o) => o.name === r.name);
      if (!obj) continue;
      const have = out.find((x) => x.kind === kind && x.id === obj.id);
      if (have) {
        if (!have.tasks.includes(t.id)) have.tasks.push(t.id);
      } else out.push({ node: node.id, kind, id: obj.id, tasks: [t.id] });
    }
  };
  for (const t of s.tasks) {
    if (t.nodeId !== node.id || !taskNeedsDependencies(t)) continue;
    add('secret', t.spec.secrets, t);
    add('config', t.spec.configs, t);
  }
  return out;
}

const key = (o: AgentObject) => JSON.stringify(o);

/** Bring every connected agent's holdings in line with its assignment set; clear machines that are down. */
export function syncAgentObjects(s: State): State {
  if (s.agentObjects.length === 0 && s.secrets.length === 0 && s.configs.length === 0) return s;
  const next: AgentObject[] = [];
  for (const n of s.nodes) {
    const held = s.agentObjects.filter((o) => o.node === n.id);
    // A node that left is down for good (model/invariants.ts).
    if (!n.up) continue;
    // Without a leader no agent is connected (model/controlplane.ts (connectedIds)).
    if (!connected(s, n)) {
      next.push(...held);
      continue;
    }
    const want = entitledObjects(s, n);
    // A secret or config deleted from the store stays on the node until the last task using it there
    // goes past RUNNING: the dispatcher watches only task (and volume) events and sends the removal
    // from releaseTaskDependencies (dispatcher.go (Assignments), assignments.go (releaseDependency)).
    for (const h of held) {
      if ((h.kind === 'secret' ? s.secrets : s.configs).some((o) => o.id === h.id)) continue;
      const tasks = h.tasks.filter((id) => {
        const t = s.tasks.find((x) => x.id === id);
        return t !== undefined && taskNeedsDependencies(t);
      });
      if (tasks.length > 0) want.push({ ...h, tasks });
    }
    if (PLANTED_SECRETS.neverWithdraw)
      for (const h of held)
        if (!want.some((w) => w.kind === h.kind && w.id === h.id)) want.push({ ...h, tasks: [] });
    next.push(...want);
  }
  const same =
    next.length === s.agentObjects.length && next.every((o, i) => key(o) === key(s.agentObjects[i]));
  return same ? s : mergeState(s, { agentObjects: next });
}

/** The secrets and configs a node's agent holds now (names), for study material and tables. */
export function objectsOnNode(s: State, nodeId: string): { secrets: string[]; configs: string[] } {
  const name = (o: AgentObject) =>
    (o.kind === 'secret' ? s.secrets : s.configs).find((x) => x.id === o.id)?.name ?? o.id;
  const mine = s.agentObjects.filter((o) => o.node === nodeId);
  return {
    secrets: mine.filter((o) => o.kind === 'secret').map(name),
    configs: mine.filter((o) => o.kind === 'config').map(name),
  };
}

/**
 * Where a task's secrets and configs appear inside its container on Linux: secrets in a per-container
 * read-only tmpfs at /run/secrets/<target>; configs at their target, `/<name>` by default (an absolute
 * target is used as is), written into the same tmpfs by current moby.
 * moby/moby:daemon/container_operations_unix.go (setupSecretDir), raft notes §4.3.
 */
export function mountPaths(
  t: Task,
): { kind: 'secret' | 'config'; name: string; path: string; tmpfs: true }[] {
  return [
    ...t.spec.secrets.map((r) => ({
      kind: 'secret' as const,
      name: r.name,
      path: r.target.startsWith('/') ? r.target : `/run/secrets/${r.target || r.name}`,
      tmpfs: true as const,
    })),
    ...t.spec.configs.map((r) => ({
      kind: 'config' as const,
      name: r.name,
      path: r.target.startsWith('/') ? r.target : `/${r.target || r.name}`,
      tmpfs: true as const,
    })),
  ];
}

/**
 * The Raft log at rest, as a fact to query: every manager encrypts its whole WAL and snapshots with
 * its data encryption key — secrets, configs and every other object alike; there is no per-object
 * encryption. design/raft_encryption.md; raft notes §4.4. `autolock` is not modelled (false).
 */
export function raftAtRest(s: State): {
  encrypted: true;
  covers: readonly string[];
  cipher: string;
  keyProtection: string;
  managers: string[];
} {
  return {
    encrypted: true,
    covers: ['nodes', 'services', 'tasks', 'networks', 'secrets', 'configs', 'cluster'],
    cipher: 'NaCl secretbox (XSalsa20-Poly1305); Fernet (AES-128-CBC + HMAC) in FIPS mode',
    keyProtection:
      'DEK in the TLS key file header, in plaintext unless autolock wraps it with the unlock key',
    managers: s.raft.voters.map((v) => s.nodes.find((n) => n.id === v)?.hostname ?? v),
  };
}
