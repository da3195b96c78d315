import { describe, expect, test } from 'vitest';
import { agentNext } from '../../model/agent.ts';
import { applyUpdate } from '../../model/controlapi/service.ts';
import type { Task } from '../../model/state.ts';
import { cluster, create, refuse, run, service, settled } from './helpers.ts';

const three = () => cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);

describe('control API validation (moby/swarmkit:manager/controlapi)', () => {
  test('service names', () => {
    const s = three();
    expect(refuse(s, { kind: 'service.create', spec: service('-web') })).toBe(
      'name must be valid as a DNS name component',
    );
    expect(refuse(s, { kind: 'service.create', spec: service('a'.repeat(64)) })).toBe(
      'name must be 63 characters or fewer',
    );
    expect(refuse(s, { kind: 'service.create', spec: service('') })).toBe('meta: name must be provided');
  });

  test('service names are unique case-insensitively', () => {
    const s = create(three(), service('web'));
    expect(refuse(s, { kind: 'service.create', spec: service('WEB') })).toBe(
      'name conflicts with an existing object: service WEB already exists',
    );
  });

  test('replicas and scale only for replicated services (docker CLI)', () => {
    let s = three();
    expect(
      refuse(s, { kind: 'service.create', spec: { ...service('mon'), mode: 'global', replicas: 3 } }),
    ).toBe('replicas can only be used with replicated or replicated-job mode');
    s = create(s, { ...service('mon'), mode: 'global', replicas: undefined });
    expect(refuse(s, { kind: 'service.scale', scales: [{ service: 'mon', replicas: 2 }] })).toBe(
      'mon: scale can only be used with replicated or replicated-job mode',
    );
  });

  test('renames and mode changes are refused (UpdateService)', async () => {
    const { updateServiceSpec } = await import('../../model/controlapi/service.ts');
    const s = create(three(), service('web'));
    const r1 = updateServiceSpec(s, 'web', { ...service('web'), mode: 'global', replicas: undefined });
    expect(r1).toEqual({ ok: false, error: 'service mode change is not allowed' });
    const r2 = updateServiceSpec(s, 'web', service('web2'));
    expect(r2).toEqual({ ok: false, error: 'renaming services is not supported' });
  });

  test('port conflicts across services', () => {
    const ingress = (p: number) => ({
      protocol: 'tcp' as const,
      targetPort: 80,
      publishedPort: p,
      mode: 'ingress' as const,
    });
    const host = (p: number) => ({
      protocol: 'tcp' as const,
      targetPort: 80,
      publishedPort: p,
      mode: 'host' as const,
    });
    let s = create(three(), { ...service('web'), endpoint: { mode: 'vip', ports: [ingress(8080)] } });
    const id = s.services[0].id;
    expect(
      refuse(s, {
        kind: 'service.create',
        spec: { ...service('api'), endpoint: { mode: 'vip', ports: [ingress(8080)] } },
      }),
    ).toBe(`port '8080' is already in use by service 'web' (${id}) as an ingress port`);
    s = create(s, { ...service('h1'), endpoint: { mode: 'vip', ports: [host(9090)] } });
    // Host vs host is allowed (the scheduler keeps them on different nodes).
    s = create(s, { ...service('h2'), endpoint: { mode: 'vip', ports: [host(9090)] } });
    expect(s.services).toHaveLength(3);
  });

  test('constraints must parse', () => {
    expect(
      refuse(three(), {
        kind: 'service.create',
        spec: service(
          'web',
          {},
          { placement: { constraints: ['node.role'], preferences: [], maxReplicas: 0 } },
        ),
      }),
    ).toBe('constraint expected one operator from ==, !=');
  });

  test('--constraint-add/--constraint-rm as the docker CLI applies them: append, then remove, then sort', () => {
    // docker/cli:cli/command/service/update.go (updatePlacementConstraints).
    const spec = service(
      'web',
      {},
      { placement: { constraints: ['node.role==worker'], preferences: [], maxReplicas: 0 } },
    );
    const constraints = (u: Parameters<typeof applyUpdate>[1]) => {
      const r = applyUpdate(spec, u);
      if (typeof r === 'string') throw new Error(r);
      return r.task.placement.constraints;
    };
    // An addition already present is added again (no dedup): the spec changes, so it is a new update.
    expect(constraints({ constraintAdd: ['node.role==worker'] })).toEqual([
      'node.role==worker',
      'node.role==worker',
    ]);
    // Removal runs after the additions and drops every copy.
    expect(
      constraints({ constraintAdd: ['node.labels.zone==a'], constraintRm: ['node.labels.zone==a'] }),
    ).toEqual(['node.role==worker']);
    expect(
      constraints({ constraintAdd: ['node.role==worker'], constraintRm: ['node.role==worker'] }),
    ).toEqual([]);
    // Sorted byte-wise, whatever order they were given in.
    expect(constraints({ constraintAdd: ['node.labels.zone==a', 'engine.labels.x==1'] })).toEqual([
      'engine.labels.x==1',
      'node.labels.zone==a',
      'node.role==worker',
    ]);
  });

  test('node rm guards', () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'm2', role: 'manager' }, { hostname: 'w1' }]);
    const m2 = s.nodes.find((n) => n.hostname === 'm2')!.id;
    const w1 = s.nodes.find((n) => n.hostname === 'w1')!.id;
    expect(refuse(s, { kind: 'node.rm', node: 'm2', force: true })).toBe(
      `node ${m2} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`,
    );
    expect(refuse(s, { kind: 'node.rm', node: 'w1', force: false })).toBe(
      `node ${w1} is not down and can't be removed`,
    );
    s = run(s, { kind: 'node.rm', node: 'w1', force: true });
    expect(s.nodes.map((n) => n.hostname)).toEqual(['m1', 'm2']);
  });

  test('demotion guards', () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }]);
    expect(refuse(s, { kind: 'node.demote', node: 'm1' })).toBe(
      'attempting to demote the last manager of the swarm',
    );
    s = settled(run(s, { kind: 'node.promote', node: 'w1' }));
    expect(s.raft.voters).toHaveLength(2);
    s = settled(run(s, { kind: 'node.demote', node: 'w1' }));
    expect(s.raft.voters).toHaveLength(1);
  });
});

describe('agent gating (moby/swarmkit:agent/exec/controller.go (Do))', () => {
  const t = (observed: Task['observed'], desired: Task['desired']) =>
    ({ observed, desired, containerLost: false }) as Task;
  test('desired READY parks the task at READY; RUNNING lets it start', () => {
    expect(agentNext(t('assigned', 'ready'))).toBe('accepted');
    expect(agentNext(t('accepted', 'ready'))).toBe('preparing');
    expect(agentNext(t('preparing', 'ready'))).toBe('ready');
    expect(agentNext(t('ready', 'ready'))).toBeNull();
    expect(agentNext(t('ready', 'running'))).toBe('starting');
    expect(agentNext(t('starting', 'running'))).toBe('running');
    expect(agentNext(t('running', 'running'))).toBeNull();
  });
  test('desired ≥ SHUTDOWN stops anything below COMPLETE', () => {
    expect(agentNext(t('assigned', 'shutdown'))).toBe('shutdown');
    expect(agentNext(t('running', 'remove'))).toBe('shutdown');
    expect(agentNext(t('failed', 'shutdown'))).toBeNull();
  });
  test("tasks not yet dispatched are not the agent's", () => {
    expect(agentNext(t('pending', 'running'))).toBeNull();
  });
});
