/**
 * Secrets, configs and networks as the cluster hands them out, rule by rule: the per-node assignment
 * set (moby/swarmkit:manager/dispatcher/assignments.go (addOrUpdateTask, addTaskDependencies,
 * releaseDependency), dispatcher.go (Assignments)), the routing mesh and host-mode ports, the VIPs the
 * allocator gives a service (moby/moby:daemon/libnetwork/cnmallocator/networkallocator.go
 * (AllocateService), moby/swarmkit:manager/allocator/networkallocator (IsIngressNetworkNeeded)) and the
 * overlays a node is attached to (manager/allocator/network.go (getNodeNetworks)). The rules are in
 * model/secrets.ts and model/network.ts; everything is driven through commands, settle and faults.
 */
import { afterEach, describe, expect, test } from 'vitest';
import {
  hostPortAnswers,
  ingressAnswers,
  ingressService,
  mountPaths,
  nodeNetworks,
  objectsOnNode,
  raftAtRest,
  type State,
  serviceVips,
  settle,
} from '../../model/index.ts';
import { PLANTED_NET } from '../../model/network.ts';
import { PLANTED_SECRETS } from '../../model/secrets.ts';
import type { PortConfig, ServiceSpec, UserCommand } from '../../model/spec.ts';
import { act, cluster, create, nodeId, run, service, serviceTasks, settled, waited } from './helpers.ts';

afterEach(() => {
  PLANTED_SECRETS.neverWithdraw = false;
  PLANTED_NET.meshOnlyOnTaskNodes = false;
});

const secret = (name: string): UserCommand => ({ kind: 'secret.create', name, sizeBytes: 64, labels: {} });
const config = (name: string): UserCommand => ({ kind: 'config.create', name, sizeBytes: 64, labels: {} });
const ref = (name: string, target = name) => ({ name, target });
const on = (host: string) => ({ constraints: [`node.hostname==${host}`], preferences: [], maxReplicas: 0 });
const noRestart = { condition: 'none' as const, delayMs: 0, maxAttempts: 0, windowMs: 0 };
const global = (name: string, task: Partial<ServiceSpec['task']>): ServiceSpec =>
  ({ ...service(name, {}, task), mode: 'global', replicas: undefined }) as ServiceSpec;
const idOf = (s: State, kind: 'secret' | 'config', name: string) =>
  (kind === 'secret' ? s.secrets : s.configs).find((o) => o.name === name)!.id;
/** What each node's agent holds, by hostname: "kind:name[tasks]". */
const holdings = (s: State) =>
  s.agentObjects.map((o) => {
    const host = s.nodes.find((n) => n.id === o.node)!.hostname;
    const list = o.kind === 'secret' ? s.secrets : s.configs;
    return `${host} ${o.kind}:${list.find((x) => x.id === o.id)?.name ?? o.id}[${o.tasks.join(',')}]`;
  });
const exit = (s: State, task: string, code = 0) =>
  settled(act(s, { actor: 'fault', kind: 'exit', task, code }));

describe('assignment set: which tasks entitle a node to a secret or config', () => {
  test('only from ASSIGNED: a global task created with its node is not yet entitled while NEW/PENDING', () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }]);
    s = run(s, secret('db'));
    s = run(s, { kind: 'service.create', spec: global('agent', { secrets: [ref('db')] }) });
    const steps = settle(s).steps;
    const before = steps.filter((x) =>
      x.state.tasks.some((t) => t.nodeId !== '' && t.observed === 'pending'),
    );
    expect(before.length).toBeGreaterThan(0);
    for (const x of before) expect(x.state.agentObjects).toEqual([]);
    // The scheduler's step moves both tasks to ASSIGNED: that is when both nodes get the secret.
    const assigned = steps.find((x) => x.action.actor === 'scheduler')!.state;
    expect(assigned.tasks.map((t) => t.observed)).toEqual(['assigned', 'assigned']);
    expect(holdings(assigned).map((h) => h.split('[')[0])).toEqual(['m1 secret:db', 'w1 secret:db']);
  });

  test('up to RUNNING: a task that completed releases it, though it stays in the task list', () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }]);
    s = run(s, secret('db'));
    s = create(s, service('job', { replicas: 1 }, { secrets: [ref('db')], restart: noRestart }));
    const [t] = serviceTasks(s, 'job');
    expect(holdings(s)).toHaveLength(1);
    s = exit(s, t.id);
    expect(serviceTasks(s, 'job').map((x) => x.observed)).toEqual(['complete']);
    expect(s.agentObjects).toEqual([]);
  });

  test('reference counted per node: one entry for all the tasks there, kept until the last one ends', () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }, { hostname: 'w2' }]);
    s = run(s, secret('db'));
    s = create(
      s,
      service('web', { replicas: 3 }, { secrets: [ref('db')], placement: on('w1'), restart: noRestart }),
    );
    const [a, b, c] = serviceTasks(s, 'web');
    expect(holdings(s)).toEqual([`w1 secret:db[${a.id},${b.id},${c.id}]`]);
    s = exit(s, a.id);
    expect(holdings(s)).toEqual([`w1 secret:db[${b.id},${c.id}]`]);
    s = create(s, service('api', { replicas: 1 }, { secrets: [ref('db')], placement: on('w2') }));
    const [d] = serviceTasks(s, 'api');
    expect(holdings(s)).toEqual([`w1 secret:db[${b.id},${c.id}]`, `w2 secret:db[${d.id}]`]);
    // One more on w1 ends: w1 keeps the secret for the last one; w2 is untouched.
    s = exit(s, b.id);
    expect(holdings(s)).toEqual([`w1 secret:db[${c.id}]`, `w2 secret:db[${d.id}]`]);
    s = exit(s, c.id);
    expect(holdings(s)).toEqual([`w2 secret:db[${d.id}]`]);
  });

  test('a task is counted once for a secret it mounts at two targets', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = run(s, secret('db'));
    s = create(s, service('web', { replicas: 1 }, { secrets: [ref('db', 'a'), ref('db', 'b')] }));
    const [t] = serviceTasks(s, 'web');
    expect(holdings(s)).toEqual([`m1 secret:db[${t.id}]`]);
  });

  test('each referenced object by its own id, secrets and configs apart; others stay on the manager', () => {
    let s = cluster([{ hostname: 'm1' }]);
    for (const n of ['a', 'b', 'c']) s = run(s, secret(n));
    s = run(s, config('conf'));
    s = create(s, service('web', { replicas: 1 }, { secrets: [ref('c'), ref('b')], configs: [ref('conf')] }));
    const [t] = serviceTasks(s, 'web');
    expect(s.agentObjects).toEqual([
      { node: t.nodeId, kind: 'secret', id: idOf(s, 'secret', 'c'), tasks: [t.id] },
      { node: t.nodeId, kind: 'secret', id: idOf(s, 'secret', 'b'), tasks: [t.id] },
      { node: t.nodeId, kind: 'config', id: idOf(s, 'config', 'conf'), tasks: [t.id] },
    ]);
    expect(objectsOnNode(s, t.nodeId)).toEqual({ secrets: ['c', 'b'], configs: ['conf'] });
  });

  test('a secret alone, or a config alone, is delivered too', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = run(s, secret('db'));
    s = create(s, service('a', { replicas: 1 }, { secrets: [ref('db')] }));
    expect(objectsOnNode(s, nodeId(s, 'm1'))).toEqual({ secrets: ['db'], configs: [] });
    let c = cluster([{ hostname: 'm1' }]);
    c = run(c, config('conf'));
    c = create(c, service('a', { replicas: 1 }, { configs: [ref('conf')] }));
    expect(objectsOnNode(c, nodeId(c, 'm1'))).toEqual({ secrets: [], configs: ['conf'] });
  });

  test('a task replaced on the same node hands its entry to the new task', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = run(s, secret('db'));
    s = create(s, service('web', { replicas: 1 }, { secrets: [ref('db')] }));
    const [old] = serviceTasks(s, 'web');
    s = waited(exit(s, old.id, 1), 10_000);
    const now = serviceTasks(s, 'web').find((t) => t.observed === 'running')!;
    expect(now.id).not.toBe(old.id);
    expect(holdings(s)).toEqual([`m1 secret:db[${now.id}]`]);
  });
});

describe('assignment set: what the dispatcher does not send', () => {
  /** web's one task on w1 holding secret db, then w1 cut off from the managers. */
  const cutOffWithSecret = () => {
    let s = cluster([{ hostname: 'm1', availability: 'drain' }, { hostname: 'w1' }]);
    s = run(s, secret('db'));
    s = create(s, service('web', { replicas: 1 }, { secrets: [ref('db')] }));
    const [t] = serviceTasks(s, 'web');
    const w1 = nodeId(s, 'w1');
    s = settled(act(s, { actor: 'fault', kind: 'partition', groups: [[w1]] }));
    return { s, t, w1 };
  };

  test('an agent cut off from the leader keeps what it had, even when its tasks are orphaned', () => {
    const cut = cutOffWithSecret();
    const { t } = cut;
    const s = waited(cut.s, 25 * 3600_000);
    expect(s.tasks.find((x) => x.id === t.id)!.observed).toBe('orphaned');
    expect(holdings(s)).toEqual([`w1 secret:db[${t.id}]`]);
  });

  test('back from a partition, a copy whose secret and task were both deleted meanwhile is dropped', () => {
    // The agent's new session gets a complete assignment set built from the store
    // (dispatcher.go (Assignments)): neither the deleted secret nor the reaped task is in it.
    let { s, t, w1 } = cutOffWithSecret();
    s = run(s, { kind: 'service.rm', service: 'web' });
    s = run(s, { kind: 'secret.rm', name: 'db' });
    // Orphaned after 24 h down, then deleted by the reaper (desired REMOVE, past COMPLETE).
    s = waited(s, 25 * 3600_000);
    expect(s.tasks.find((x) => x.id === t.id)).toBeUndefined();
    // Still cut off, the agent keeps its copy (known by id only now) for the deleted task.
    expect(s.agentObjects.map((o) => [o.node, o.kind, o.tasks])).toEqual([[w1, 'secret', [t.id]]]);
    s = settled(act(s, { actor: 'fault', kind: 'heal' }));
    expect(s.agentObjects).toEqual([]);
  });

  test('a secret deleted while a task still uses it stays on the node until that task ends', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = run(s, secret('db'));
    s = run(s, secret('other'));
    s = create(s, service('web', { replicas: 1 }, { secrets: [ref('db')] }));
    const [old] = serviceTasks(s, 'web');
    const id = idOf(s, 'secret', 'db');
    // The spec no longer references it, so `docker secret rm` is allowed; the old task still runs.
    s = run(s, { kind: 'service.update', service: 'web', update: { secretRm: ['db'] } });
    s = run(s, { kind: 'secret.rm', name: 'db' });
    expect(s.secrets.map((x) => x.name)).toEqual(['other']);
    const steps = settle(s).steps;
    const stillRunning = steps.filter(
      (x) => x.state.tasks.find((t) => t.id === old.id)?.observed === 'running',
    );
    expect(stillRunning.length).toBeGreaterThan(0);
    for (const x of stillRunning) {
      expect(x.state.agentObjects).toEqual([{ node: old.nodeId, kind: 'secret', id, tasks: [old.id] }]);
      // Its name is gone with it: the agent's copy is known by id only.
      expect(objectsOnNode(x.state, old.nodeId)).toEqual({ secrets: [id], configs: [] });
    }
    expect(steps.at(-1)!.state.agentObjects).toEqual([]);
  });

  test('the last secret deleted: the copy still goes once its task ends (no store object left to compare)', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = run(s, secret('db'));
    s = create(s, service('web', { replicas: 1 }, { secrets: [ref('db')], restart: noRestart }));
    const [old] = serviceTasks(s, 'web');
    s = run(s, { kind: 'service.update', service: 'web', update: { secretRm: ['db'] } });
    s = run(s, { kind: 'secret.rm', name: 'db' });
    expect(s.secrets).toEqual([]);
    // Before the update has replaced it, the old task runs and keeps the deleted secret.
    expect(s.agentObjects.map((o) => o.tasks)).toEqual([[old.id]]);
    expect(settle(s).state.agentObjects).toEqual([]);
  });

  test('a deleted secret is released by the task that held it, not kept alive by another task on the node', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = run(s, secret('db'));
    // Created first, so its task comes first in the task list; it uses no secret and keeps running.
    s = create(s, service('keep', { replicas: 1 }));
    s = create(s, service('web', { replicas: 1 }, { secrets: [ref('db')], restart: noRestart }));
    const [k] = serviceTasks(s, 'keep');
    const [w] = serviceTasks(s, 'web');
    expect(s.tasks.findIndex((t) => t.id === k.id)).toBeLessThan(s.tasks.findIndex((t) => t.id === w.id));
    s = run(s, { kind: 'service.update', service: 'web', update: { secretRm: ['db'] } });
    s = run(s, { kind: 'secret.rm', name: 'db' });
    s = exit(s, w.id);
    expect(s.tasks.find((t) => t.id === k.id)!.observed).toBe('running');
    expect(s.agentObjects).toEqual([]);
  });
});

describe('where secrets and configs appear in the container (mountPaths)', () => {
  const task = (secrets: { name: string; target: string }[], configs: { name: string; target: string }[]) => {
    let s = cluster([{ hostname: 'm1' }]);
    for (const r of secrets) s = run(s, secret(r.name));
    for (const r of configs) s = run(s, config(r.name));
    s = create(s, service('web', { replicas: 1 }, { secrets, configs }));
    return serviceTasks(s, 'web')[0];
  };

  test('a relative target: secrets under /run/secrets, configs under /', () => {
    expect(mountPaths(task([ref('db', 'pw')], [ref('conf', 'app.conf')])).map((m) => m.path)).toEqual([
      '/run/secrets/pw',
      '/app.conf',
    ]);
  });

  test('an absolute target is used as it is, for secrets and configs alike', () => {
    // moby/moby:container (getSecretTargetPath, getConfigTargetPath): filepath.IsAbs keeps the target.
    expect(
      mountPaths(task([ref('db', '/etc/pw')], [ref('conf', '/etc/app.conf')])).map((m) => m.path),
    ).toEqual(['/etc/pw', '/etc/app.conf']);
  });

  test('an empty target (a spec built without the CLI, which always fills it) falls back to the name', () => {
    const t = task([ref('db', '')], [ref('conf', '')]);
    expect(mountPaths(t)).toEqual([
      { kind: 'secret', name: 'db', path: '/run/secrets/db', tmpfs: true },
      { kind: 'config', name: 'conf', path: '/conf', tmpfs: true },
    ]);
  });
});

describe('planted bugs are the bugs they say they are', () => {
  test('neverWithdraw keeps exactly what was withdrawn, with no task, and nothing twice', () => {
    PLANTED_SECRETS.neverWithdraw = true;
    let s = cluster([{ hostname: 'm1' }]);
    s = run(s, secret('a'));
    s = run(s, secret('b'));
    s = create(s, service('keep', { replicas: 1 }, { secrets: [ref('a')] }));
    s = create(s, service('gone', { replicas: 1 }, { secrets: [ref('b')], restart: noRestart }));
    const [k] = serviceTasks(s, 'keep');
    s = exit(s, serviceTasks(s, 'gone')[0].id);
    expect(holdings(s)).toEqual([`m1 secret:a[${k.id}]`, 'm1 secret:b[]']);
  });

  test('meshOnlyOnTaskNodes: a node answers iff it runs a task of the service', () => {
    PLANTED_NET.meshOnlyOnTaskNodes = true;
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }, { hostname: 'w2' }]);
    const p: PortConfig = { protocol: 'tcp', targetPort: 80, publishedPort: 8080, mode: 'ingress' };
    const notW2 = { constraints: ['node.hostname!=w2'], preferences: [], maxReplicas: 0 };
    s = create(
      s,
      service('web', { replicas: 2, endpoint: { mode: 'vip', ports: [p] } }, { placement: notW2 }),
    );
    s = create(s, service('db', { replicas: 1 }, { placement: on('w2') }));
    const web = serviceTasks(s, 'web').map((t) => t.id);
    expect(new Set(serviceTasks(s, 'web').map((t) => t.nodeId))).toEqual(
      new Set([nodeId(s, 'm1'), nodeId(s, 'w1')]),
    );
    expect([...ingressAnswers(s, 'm1', 8080)].sort()).toEqual([...web].sort());
    expect(ingressAnswers(s, 'w2', 8080).size).toBe(0);
  });
});

const port = (publishedPort: number, mode: 'ingress' | 'host' = 'ingress', protocol: 'tcp' | 'udp' = 'tcp') =>
  ({ protocol, targetPort: 80, publishedPort, mode }) as PortConfig;

describe('routing mesh', () => {
  const mesh = () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }, { hostname: 'w2' }]);
    // Another overlay beside ingress: the mesh needs an ingress network, not only ingress networks.
    s = run(s, {
      kind: 'network.create',
      name: 'back',
      driver: 'overlay',
      attachable: false,
      ingress: false,
    });
    s = create(
      s,
      service(
        'web',
        { replicas: 1, endpoint: { mode: 'vip', ports: [port(8080), port(8081)] } },
        { placement: on('w2') },
      ),
    );
    return { s, t: serviceTasks(s, 'web')[0] };
  };

  test('every ready node answers on each published port of the service, by name or by id', () => {
    const { s, t } = mesh();
    for (const n of s.nodes) {
      expect([...ingressAnswers(s, n.hostname, 8080)]).toEqual([t.id]);
      expect([...ingressAnswers(s, n.id, 8081)]).toEqual([t.id]);
    }
    expect(ingressService(s, 8081)?.spec.name).toBe('web');
    // Only the port and protocol published: 8082, or udp/8080, belong to no service.
    expect(ingressService(s, 8082)).toBeUndefined();
    expect(ingressService(s, 8080, 'udp')).toBeUndefined();
    expect(ingressAnswers(s, 'm1', 8082).size).toBe(0);
    expect(ingressAnswers(s, 'm1', 8080, 'udp').size).toBe(0);
  });

  test('a crashed machine neither answers nor is reached; a partitioned one is cut off both ways', () => {
    let { s, t } = mesh();
    const w2 = nodeId(s, 'w2');
    const w1 = nodeId(s, 'w1');
    const crashed = act(s, { actor: 'fault', kind: 'crash', node: w1 });
    expect(ingressAnswers(crashed, 'w1', 8080).size).toBe(0);
    expect([...ingressAnswers(crashed, 'm1', 8080)]).toEqual([t.id]);
    // The task's own machine crashes: its task is still RUNNING in the store, but nothing reaches it.
    const taskDown = act(s, { actor: 'fault', kind: 'crash', node: w2 });
    expect(taskDown.tasks.find((x) => x.id === t.id)!.observed).toBe('running');
    expect(ingressAnswers(taskDown, 'm1', 8080).size).toBe(0);
    // w2 in a group of its own: m1 and w1 cannot reach its task; w2 itself still can.
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[w2]] });
    expect(ingressAnswers(s, 'm1', 8080).size).toBe(0);
    expect([...ingressAnswers(s, 'w2', 8080)]).toEqual([t.id]);
  });

  test('a restarted machine joins the mesh again only once it is READY', () => {
    const { s, t } = mesh();
    const w1 = nodeId(s, 'w1');
    let r = waited(act(s, { actor: 'fault', kind: 'crash', node: w1 }), 60_000);
    r = act(r, { actor: 'fault', kind: 'restart', node: w1 });
    expect(r.nodes.find((n) => n.id === w1)!).toMatchObject({ up: true, status: 'down' });
    expect(ingressAnswers(r, 'w1', 8080).size).toBe(0);
    r = settled(r);
    expect(r.nodes.find((n) => n.id === w1)!.status).toBe('ready');
    expect([...ingressAnswers(r, 'w1', 8080)]).toEqual([t.id]);
  });
});

describe('host-mode ports', () => {
  const edge = () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }]);
    s = create(
      s,
      service(
        'edge',
        {
          replicas: 1,
          endpoint: { mode: 'vip', ports: [port(8080, 'host'), port(9090, 'host'), port(7070)] },
        },
        { placement: on('w1'), restart: noRestart },
      ),
    );
    return { s, t: serviceTasks(s, 'edge')[0] };
  };

  test('the node running the task answers on each host port, by name or by id; nothing else does', () => {
    const { s, t } = edge();
    const w1 = nodeId(s, 'w1');
    expect([...hostPortAnswers(s, 'w1', 8080)]).toEqual([t.id]);
    expect([...hostPortAnswers(s, w1, 9090)]).toEqual([t.id]);
    expect(hostPortAnswers(s, 'm1', 8080).size).toBe(0);
    // Not another port, not udp, and not the service's ingress port (that is the mesh's).
    expect(hostPortAnswers(s, 'w1', 8081).size).toBe(0);
    expect(hostPortAnswers(s, 'w1', 8080, 'udp').size).toBe(0);
    expect(hostPortAnswers(s, 'w1', 7070).size).toBe(0);
    expect(hostPortAnswers(s, 'nope', 8080).size).toBe(0);
    expect(ingressService(s, 8080)).toBeUndefined();
    expect(ingressService(s, 7070)?.spec.name).toBe('edge');
  });

  test('a crashed machine does not answer, nor does a task that has ended', () => {
    const { s, t } = edge();
    const w1 = nodeId(s, 'w1');
    const crashed = act(s, { actor: 'fault', kind: 'crash', node: w1 });
    expect(crashed.tasks.find((x) => x.id === t.id)!.observed).toBe('running');
    expect(hostPortAnswers(crashed, 'w1', 8080).size).toBe(0);
    const ended = exit(s, t.id);
    expect(ended.tasks.find((x) => x.id === t.id)!.observed).toBe('complete');
    expect(hostPortAnswers(ended, 'w1', 8080).size).toBe(0);
  });
});

describe('VIPs and node attachments', () => {
  test('one VIP per attached network, however it is named; ingress only for ingress-mode ports', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = run(s, {
      kind: 'network.create',
      name: 'back',
      driver: 'overlay',
      attachable: false,
      ingress: false,
    });
    const back = s.networks.find((w) => w.name === 'back')!.id;
    s = create(s, service('a', { replicas: 1 }, { networks: ['back', back] }));
    expect(serviceVips(s, s.services.find((x) => x.spec.name === 'a')!)).toEqual([back]);
    s = create(s, service('i', { replicas: 1 }, { networks: [back] }));
    expect(serviceVips(s, s.services.find((x) => x.spec.name === 'i')!)).toEqual([back]);
    // Host-mode ports do not use the routing mesh: no ingress VIP.
    s = create(s, service('h', { replicas: 1, endpoint: { mode: 'vip', ports: [port(8080, 'host')] } }));
    expect(serviceVips(s, s.services.find((x) => x.spec.name === 'h')!)).toEqual([]);
  });

  test('a node is attached to ingress and to the overlays of its tasks not past RUNNING, each once', () => {
    let s = cluster([{ hostname: 'm1', availability: 'drain' }, { hostname: 'w1' }, { hostname: 'w2' }]);
    const ingress = s.networks.find((w) => w.ingress)!.id;
    s = run(s, {
      kind: 'network.create',
      name: 'back',
      driver: 'overlay',
      attachable: false,
      ingress: false,
    });
    s = run(s, {
      kind: 'network.create',
      name: 'front',
      driver: 'overlay',
      attachable: false,
      ingress: false,
    });
    const [back, front] = ['back', 'front'].map((n) => s.networks.find((w) => w.name === n)!.id);
    s = create(
      s,
      service('a', { replicas: 2 }, { networks: ['back'], placement: on('w1'), restart: noRestart }),
    );
    s = create(s, service('b', { replicas: 1 }, { networks: [front, back], placement: on('w1') }));
    expect(nodeNetworks(s, nodeId(s, 'w1'))).toEqual([back, front, ingress]);
    expect(nodeNetworks(s, nodeId(s, 'w2'))).toEqual([ingress]);
    expect(nodeNetworks(s, 'nope')).toEqual([]);
    // b ends: front goes, back stays for a's tasks.
    s = settled(run(s, { kind: 'service.scale', scales: [{ service: 'b', replicas: 0 }] }));
    expect(nodeNetworks(s, nodeId(s, 'w1'))).toEqual([back, ingress]);
    // a's tasks complete: only ingress is left.
    for (const t of serviceTasks(s, 'a')) s = exit(s, t.id);
    expect(nodeNetworks(s, nodeId(s, 'w1'))).toEqual([ingress]);
    // A node that left the swarm is attached to nothing.
    s = run(s, { kind: 'swarm.leave', node: 'w2', force: false });
    expect(nodeNetworks(s, nodeId(s, 'w2'))).toEqual([]);
  });

  test('the Raft log at rest: every object kind, encrypted, on every manager', () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'm2', role: 'manager' }, { hostname: 'w1' }]);
    s = settled(s);
    const r = raftAtRest(s);
    expect(r.encrypted).toBe(true);
    // SwarmKit's raft encrypter is NaCl secretbox, its DEK kept in the TLS key's PEM headers.
    expect(r.cipher).toMatch(/^NaCl secretbox/);
    expect(r.keyProtection).toMatch(/autolock/);
    expect(r.covers).toEqual(['nodes', 'services', 'tasks', 'networks', 'secrets', 'configs', 'cluster']);
    expect(r.managers).toEqual(['m1', 'm2']);
  });
});
