/**
 * Swarm membership and node commands, refusal by refusal and effect by effect, as docker and SwarmKit
 * answer them: moby/swarmkit:manager/controlapi/node.go (UpdateNode, RemoveNode), moby/moby:
 * daemon/cluster/swarm.go (Init, Leave), daemon/cluster/cluster.go (managerStats), daemon/cluster/utils.go
 * (removingManagerCausesLossOfQuorum, isLastManager), docker/cli:cli/command/node/{promote,demote}.go.
 */
import { describe, expect, test } from 'vitest';
import { defaultNode } from '../../model/defaults.ts';
import type { State } from '../../model/index.ts';
import { act, cluster, create, nodeId, refuse, run, service, serviceTasks, settled } from './helpers.ts';

const threeManagers = () =>
  cluster([
    { hostname: 'm1' },
    { hostname: 'm2', role: 'manager' },
    { hostname: 'm3', role: 'manager' },
    { hostname: 'w1' },
  ]);
const node = (s: State, hostname: string) => s.nodes.find((n) => n.hostname === hostname)!;
const crash = (s: State, hostname: string) =>
  act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, hostname) });
/** m1 alone on one side (still the node it was; it loses leadership), everyone else on the other. */
const isolate = (s: State, hostname: string) =>
  settled(act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, hostname)]] }));

const LEAVE = 'You are attempting to leave the swarm on a node that is participating as a manager. ';
const LEAVE_END =
  'The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to suppress this message.';

describe('docker swarm init', () => {
  test('a second init is refused; --force-new-cluster only on a running manager that is a Raft voter', () => {
    let s = threeManagers();
    expect(refuse(s, { kind: 'swarm.init', node: defaultNode('m1', 'manager') })).toBe(
      'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.',
    );
    const fnc = (h: string) => ({
      kind: 'swarm.init' as const,
      node: defaultNode(h, 'manager'),
      forceNewCluster: true,
    });
    expect(refuse(s, fnc('w1'))).toBe('w1 is not a running manager of this swarm');
    expect(refuse(s, fnc('nobody'))).toBe('nobody is not a running manager of this swarm');
    expect(refuse(crash(s, 'm3'), fnc('m3'))).toBe('m3 is not a running manager of this swarm');
    // A manager outside the Raft group (promoted while cut off from the leader) has no Raft state.
    s = isolate(s, 'w1');
    s = run(s, { kind: 'node.promote', node: 'w1' });
    expect(node(s, 'w1').role).toBe('manager');
    expect(s.raft.voters).not.toContain(nodeId(s, 'w1'));
    expect(refuse(s, fnc('w1'))).toBe('w1 is not a running manager of this swarm');
  });

  test('init creates the ingress network: overlay, not attachable (`docker network inspect ingress`)', () => {
    // moby/swarmkit:manager/manager.go (newIngressNetwork): Ingress true, name "ingress", no Attachable;
    // the allocator gives it the default overlay driver.
    const s = cluster([{ hostname: 'm1' }]);
    expect(s.networks).toEqual([
      { id: expect.any(String), name: 'ingress', driver: 'overlay', attachable: false, ingress: true },
    ]);
  });

  test('--force-new-cluster: the node becomes the only voter and the leader; services and workers stay', () => {
    let s = create(threeManagers(), service('web', { replicas: 2 }));
    s = crash(crash(s, 'm1'), 'm2');
    s = settled(s);
    expect(s.raft.leader).toBe('');
    const r = run(s, { kind: 'swarm.init', node: defaultNode('m3', 'manager'), forceNewCluster: true });
    expect(r.raft.voters).toEqual([nodeId(s, 'm3')]);
    expect(r.raft.leader).toBe(nodeId(s, 'm3'));
    expect(r.services.map((x) => x.spec.name)).toEqual(['web']);
    expect(r.nodes.map((n) => n.hostname)).toEqual(['m1', 'm2', 'm3', 'w1']);
  });
});

describe('docker swarm join', () => {
  test('a hostname already in the swarm is refused; after it left, it can join again as a new node', () => {
    let s = threeManagers();
    expect(refuse(s, { kind: 'swarm.join', node: defaultNode('w1', 'worker') })).toBe(
      'a node named w1 is already in the swarm (the model names nodes by hostname)',
    );
    const old = nodeId(s, 'w1');
    s = run(s, { kind: 'swarm.leave', node: 'w1', force: false });
    s = run(s, { kind: 'swarm.join', node: defaultNode('w1', 'worker') });
    const ids = s.nodes.filter((n) => n.hostname === 'w1').map((n) => n.id);
    expect(ids).toHaveLength(2);
    expect(ids[1]).not.toBe(old);
  });

  test('the new node object is UNKNOWN with an empty message until its agent registers (IssueNodeCertificate)', () => {
    // moby/swarmkit:ca/server.go (IssueNodeCertificate) creates the node with no Status: its zero value.
    let s = threeManagers();
    s = run(s, { kind: 'swarm.join', node: defaultNode('w2', 'worker') });
    expect(node(s, 'w2')).toMatchObject({ status: 'unknown', statusMessage: '' });
    s = settled(s);
    expect(node(s, 'w2')).toMatchObject({ status: 'ready', statusMessage: '' });
  });

  test('a joining manager becomes a voter only if it reaches the leader', () => {
    let s = threeManagers();
    s = run(s, { kind: 'swarm.join', node: defaultNode('m4', 'manager') });
    expect(s.raft.voters).toContain(nodeId(s, 'm4'));
    // Joiners start in partition group 0; with the leader on the other side they cannot call Join.
    let p = isolate(threeManagers(), 'm1');
    p = isolate(p, node(p, 'm2').id === p.raft.leader ? 'm3' : 'm2');
    const leader = p.raft.leader;
    expect(leader).not.toBe('');
    p = run(p, { kind: 'swarm.join', node: defaultNode('m5', 'manager') });
    const inLeaderGroup = node(p, 'm5').group === p.nodes.find((n) => n.id === leader)!.group;
    expect(p.raft.voters.includes(nodeId(p, 'm5'))).toBe(inLeaderGroup);
    // A worker join never touches Raft.
    const before = s.raft;
    s = run(s, { kind: 'swarm.join', node: defaultNode('w2', 'worker') });
    expect(s.raft).toBe(before);
  });
});

describe('docker swarm leave', () => {
  test('refused on a node that is not in the swarm, has left, or is down', () => {
    let s = threeManagers();
    expect(refuse(s, { kind: 'swarm.leave', node: 'nobody', force: true })).toBe(
      'This node is not part of a swarm',
    );
    expect(refuse(crash(s, 'w1'), { kind: 'swarm.leave', node: 'w1', force: true })).toBe(
      'w1 is down: it cannot run docker swarm leave',
    );
    s = run(s, { kind: 'swarm.leave', node: 'w1', force: false });
    expect(refuse(s, { kind: 'swarm.leave', node: 'w1', force: false })).toBe(
      'This node is not part of a swarm',
    );
  });

  test('a worker leaves: its agent stops, the node object stays and goes DOWN later', () => {
    let s = create(threeManagers(), service('web', { replicas: 4 }));
    s = run(s, { kind: 'swarm.leave', node: 'w1', force: false });
    expect(node(s, 'w1')).toMatchObject({ left: true, up: false });
    s = settled(s);
    expect(node(s, 'w1').status).toBe('ready'); // no heartbeat deadline has passed yet
  });

  test('a manager is refused without --force; the message counts managers as `docker node ls` shows them', () => {
    // All three reachable: reachable−2 = 1 > 0 unreachable, leaving does not cost quorum.
    const s = threeManagers();
    expect(refuse(s, { kind: 'swarm.leave', node: 'm2', force: false })).toBe(LEAVE + LEAVE_END);
    // One of three down: reachable 2, unreachable 1 — leaving would.
    const down = crash(s, 'm3');
    expect(refuse(down, { kind: 'swarm.leave', node: 'm2', force: false })).toBe(
      `${LEAVE}Removing this node leaves 1 managers out of 3. Without a Raft quorum your swarm will be inaccessible. ${LEAVE_END}`,
    );
    // The leader itself counts as reachable.
    expect(refuse(down, { kind: 'swarm.leave', node: 'm1', force: false })).toBe(
      `${LEAVE}Removing this node leaves 1 managers out of 3. Without a Raft quorum your swarm will be inaccessible. ${LEAVE_END}`,
    );
  });

  test('five managers, one down: reachable 4 − 2 = 2 > 1 unreachable, no quorum warning', () => {
    let s = cluster([
      { hostname: 'm1' },
      { hostname: 'm2', role: 'manager' },
      { hostname: 'm3', role: 'manager' },
      { hostname: 'm4', role: 'manager' },
      { hostname: 'm5', role: 'manager' },
    ]);
    s = crash(s, 'm5');
    expect(refuse(s, { kind: 'swarm.leave', node: 'm2', force: false })).toBe(LEAVE + LEAVE_END);
    // Two down: 3 − 2 = 1 ≤ 2.
    s = crash(s, 'm4');
    expect(refuse(s, { kind: 'swarm.leave', node: 'm2', force: false })).toBe(
      `${LEAVE}Removing this node leaves 2 managers out of 5. Without a Raft quorum your swarm will be inaccessible. ${LEAVE_END}`,
    );
  });

  test('at the boundary reachable − 2 = unreachable leaving costs quorum; only 1 reachable and 0 unreachable is the last manager', () => {
    // Two managers, both up: 2 − 2 = 0 ≤ 0. Not isLastManager (reachable is 2).
    const two = cluster([{ hostname: 'm1' }, { hostname: 'm2', role: 'manager' }, { hostname: 'w1' }]);
    const quorum = (left: number, of: number) =>
      `${LEAVE}Removing this node leaves ${left} managers out of ${of}. Without a Raft quorum your swarm will be inaccessible. ${LEAVE_END}`;
    expect(refuse(two, { kind: 'swarm.leave', node: 'm2', force: false })).toBe(quorum(1, 2));
    expect(refuse(two, { kind: 'swarm.leave', node: 'm1', force: false })).toBe(quorum(1, 2));
    // Four managers, one down: 3 − 2 = 1 ≤ 1.
    let four = cluster([
      { hostname: 'm1' },
      { hostname: 'm2', role: 'manager' },
      { hostname: 'm3', role: 'manager' },
      { hostname: 'm4', role: 'manager' },
    ]);
    expect(refuse(four, { kind: 'swarm.leave', node: 'm2', force: false })).toBe(LEAVE + LEAVE_END);
    four = crash(four, 'm4');
    expect(refuse(four, { kind: 'swarm.leave', node: 'm2', force: false })).toBe(quorum(2, 4));
  });

  test('the last manager gets its own message, ending where docker ends it', () => {
    const s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }]);
    expect(refuse(s, { kind: 'swarm.leave', node: 'm1', force: false })).toBe(
      `${LEAVE}Removing the last manager erases all current state of the swarm. Use \`--force\` to ignore this message. `,
    );
  });

  test('a manager the leader cannot reach is not an active manager: no counts (managerStats: current=false)', () => {
    const s = isolate(threeManagers(), 'm3');
    expect(s.raft.leader).toBe(nodeId(s, 'm1'));
    // Reachable 2, unreachable 1: m2 leaving would cost quorum, and is told so; m3 is not told.
    expect(refuse(s, { kind: 'swarm.leave', node: 'm2', force: false })).toBe(
      `${LEAVE}Removing this node leaves 1 managers out of 3. Without a Raft quorum your swarm will be inaccessible. ${LEAVE_END}`,
    );
    expect(refuse(s, { kind: 'swarm.leave', node: 'm3', force: false })).toBe(LEAVE + LEAVE_END);
  });

  test('a manager outside the Raft group, and any manager without a leader, get the short message', () => {
    let s = isolate(threeManagers(), 'w1');
    s = run(s, { kind: 'node.promote', node: 'w1' });
    expect(refuse(s, { kind: 'swarm.leave', node: 'w1', force: false })).toBe(
      `${LEAVE}Doing so may lose the consensus of your cluster. ${LEAVE_END}`,
    );
    // Without a leader `node ls` fails and docker skips the counts, even where quorum is at stake.
    const t = settled(crash(crash(threeManagers(), 'm1'), 'm2'));
    expect(t.raft.leader).toBe('');
    expect(refuse(t, { kind: 'swarm.leave', node: 'm3', force: false })).toBe(LEAVE + LEAVE_END);
  });

  test('--force: a manager leaves but stays a Raft voter (Unreachable) until it is demoted or removed', () => {
    let s = threeManagers();
    s = run(s, { kind: 'swarm.leave', node: 'm3', force: true });
    expect(node(s, 'm3')).toMatchObject({ left: true, up: false, role: 'manager' });
    expect(s.raft.voters).toContain(nodeId(s, 'm3'));
  });
});

describe('docker node update', () => {
  test('unknown node; labels are added then removed; availability kept unless given', () => {
    let s = threeManagers();
    expect(refuse(s, { kind: 'node.update', node: 'nobody', availability: 'drain' })).toBe(
      'node nobody not found',
    );
    s = run(s, { kind: 'node.update', node: 'w1', labelAdd: { zone: 'a', disk: 'ssd' } });
    s = run(s, { kind: 'node.update', node: 'w1', availability: 'pause' });
    expect(node(s, 'w1')).toMatchObject({ availability: 'pause', labels: { zone: 'a', disk: 'ssd' } });
    s = run(s, { kind: 'node.update', node: 'w1', labelAdd: { zone: 'b' }, labelRm: ['disk'] });
    expect(node(s, 'w1')).toMatchObject({ availability: 'pause', labels: { zone: 'b' } });
    // By ID as well as hostname.
    s = run(s, { kind: 'node.update', node: nodeId(s, 'w1'), availability: 'active' });
    expect(node(s, 'w1').availability).toBe('active');
  });

  test('--label-rm of a key the node does not have fails the whole command (mergeNodeUpdate)', () => {
    // docker/cli:cli/command/node/update.go (mergeNodeUpdate): labels are added first, then each key to
    // remove must exist, else "key K doesn't exist in node's labels" and NodeUpdate is never called.
    let s = threeManagers();
    s = run(s, { kind: 'node.update', node: 'w1', labelAdd: { zone: 'a' } });
    expect(
      refuse(s, { kind: 'node.update', node: 'w1', availability: 'drain', labelRm: ['zone', 'disk'] }),
    ).toBe("key disk doesn't exist in node's labels");
    // A key added in the same command can be removed by it.
    s = run(s, { kind: 'node.update', node: 'w1', labelAdd: { disk: 'ssd' }, labelRm: ['disk'] });
    expect(node(s, 'w1').labels).toEqual({ zone: 'a' });
    // Without --label-rm no key is checked.
    s = run(s, { kind: 'node.update', node: 'w1', availability: 'pause' });
    expect(node(s, 'w1')).toMatchObject({ availability: 'pause', labels: { zone: 'a' } });
  });
});

describe('docker node promote / demote', () => {
  test('unknown node', () => {
    const s = threeManagers();
    expect(refuse(s, { kind: 'node.promote', node: 'nobody' })).toBe('node nobody not found');
    expect(refuse(s, { kind: 'node.demote', node: 'nobody' })).toBe('node nobody not found');
  });

  test('notes of the no-op and effective role changes', async () => {
    const { step } = await import('../../model/index.ts');
    const s = threeManagers();
    const cmd = (kind: 'node.promote' | 'node.demote', n: string) =>
      step(s, { actor: 'user', kind: 'command', command: { kind, node: n } });
    expect(cmd('node.promote', 'm2')).toMatchObject({
      ok: true,
      state: s,
      note: 'Node m2 is already a manager.',
    });
    expect(cmd('node.demote', 'w1')).toMatchObject({
      ok: true,
      state: s,
      note: 'Node w1 is already a worker.',
    });
    expect(cmd('node.promote', 'w1')).toMatchObject({
      ok: true,
      note: 'Node w1 promoted to a manager in the swarm.',
    });
    expect(cmd('node.demote', 'm2')).toMatchObject({ ok: true, note: 'Manager m2 demoted in the swarm.' });
  });

  test('promote: role and desired role become manager; a voter only if it reaches the leader', () => {
    let s = threeManagers();
    s = run(s, { kind: 'node.promote', node: 'w1' });
    expect(node(s, 'w1')).toMatchObject({ role: 'manager', desiredRole: 'manager' });
    expect(s.raft.voters).toContain(nodeId(s, 'w1'));
    let p = isolate(threeManagers(), 'w1');
    p = run(p, { kind: 'node.promote', node: 'w1' });
    expect(p.raft.voters).not.toContain(nodeId(p, 'w1'));
  });

  test('demote guards in UpdateNode order: last manager, Raft member list, quorum', () => {
    let s = threeManagers();
    // Outside the Raft group: a manager in the store, not in the member list.
    let p = isolate(s, 'w1');
    p = run(p, { kind: 'node.promote', node: 'w1' });
    expect(refuse(p, { kind: 'node.demote', node: 'w1' })).toBe("can't find manager in raft memberlist");
    // Three voters, one down: removing a reachable one leaves 1 reachable of 2, not a majority.
    s = crash(s, 'm3');
    expect(refuse(s, { kind: 'node.demote', node: 'm2' })).toBe(
      "can't remove member from the raft: this would result in a loss of quorum",
    );
    // Removing the down one leaves the leader and m2: 2 of 2.
    s = run(s, { kind: 'node.demote', node: 'm3' });
    expect(node(s, 'm3')).toMatchObject({ role: 'worker', desiredRole: 'worker' });
    expect(s.raft.voters).toEqual([nodeId(s, 'm1'), nodeId(s, 'm2')]);
  });

  test('the last-manager guard counts managers in the store, Raft members or not', () => {
    // Two managers in the store, one of them outside the Raft group: not the last manager, so the next
    // guard (member list) answers.
    let s = isolate(cluster([{ hostname: 'm1' }, { hostname: 'w1' }]), 'w1');
    s = run(s, { kind: 'node.promote', node: 'w1' });
    expect(refuse(s, { kind: 'node.demote', node: 'm1' })).toBe(
      "can't remove member from the raft: this would result in a loss of quorum",
    );
  });
});

describe('docker node rm', () => {
  test('unknown node; a voter is refused even with --force; a manager outside Raft can be removed', () => {
    let s = threeManagers();
    expect(refuse(s, { kind: 'node.rm', node: 'nobody', force: true })).toBe('node nobody not found');
    let p = isolate(s, 'w1');
    p = run(p, { kind: 'node.promote', node: 'w1' });
    p = run(p, { kind: 'node.rm', node: 'w1', force: true });
    expect(p.nodes.map((n) => n.hostname)).not.toContain('w1');
    // A down worker goes without --force.
    s = settled(crash(s, 'w1'));
    s = act(s, { actor: 'clock', kind: 'advance', to: s.now + 60_000 });
    s = settled(s);
    expect(node(s, 'w1').status).toBe('down');
    s = run(s, { kind: 'node.rm', node: 'w1', force: false });
    expect(s.nodes.map((n) => n.hostname)).toEqual(['m1', 'm2', 'm3']);
  });

  test('tasks below COMPLETE are orphaned with SwarmKit’s message; finished tasks keep their state', () => {
    let s = cluster([{ hostname: 'm1', availability: 'drain' }, { hostname: 'w1' }]);
    s = create(s, service('web', { replicas: 2 }));
    const [t1] = serviceTasks(s, 'web');
    s = settled(act(s, { actor: 'fault', kind: 'exit', task: t1.id, code: 0 }));
    const before = serviceTasks(s, 'web');
    s = run(s, { kind: 'node.rm', node: 'w1', force: true });
    for (const b of before) {
      const t = s.tasks.find((x) => x.id === b.id);
      if (b.observed === 'complete') expect(t?.observed).toBe('complete');
      else
        expect(t).toMatchObject({
          observed: 'orphaned',
          message: 'Task belonged to a node that has been deleted',
        });
    }
    expect(before.some((b) => b.observed === 'complete')).toBe(true);
    expect(before.some((b) => b.observed === 'running')).toBe(true);
  });
});
