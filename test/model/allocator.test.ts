/**
 * The ingress port allocator, rule by rule: moby/swarmkit:manager/allocator/portallocator.go
 * (serviceAllocatePorts, reconcilePortConfigs, isPortsAllocatedOnInit, hostPublishPortsNeedUpdate),
 * internal/idm/idm.go (GetID serial) and manager/allocator/network.go (updatePortsInHostPublishMode).
 * Each expected port is worked out from those functions, not read off the model.
 */
import { describe, expect, test } from 'vitest';
import { DYNAMIC_PORT_END, DYNAMIC_PORT_START } from '../../model/defaults.ts';
import { enabled, type State } from '../../model/index.ts';
import type { PortConfig, Protocol } from '../../model/spec.ts';
import { act, cluster, nodeId, run, service, settled } from './helpers.ts';

const p = (
  targetPort: number,
  publishedPort = 0,
  mode: 'ingress' | 'host' = 'ingress',
  protocol: Protocol = 'tcp',
) => ({ protocol, targetPort, publishedPort, mode }) satisfies PortConfig;
const create = (s: State, name: string, ...ports: PortConfig[]) =>
  run(s, { kind: 'service.create', spec: { ...service(name), endpoint: { mode: 'vip', ports } } });
const published = (s: State, name: string) =>
  s.services.find((x) => x.spec.name === name)!.ports.map((x) => x.publishedPort);
const swarm = () =>
  cluster([{ hostname: 'm1' }, { hostname: 'm2', role: 'manager' }, { hostname: 'm3', role: 'manager' }]);

describe('dynamic ingress ports', () => {
  test('are handed out serially: a port given back is not the next one handed out', () => {
    let s = create(create(swarm(), 'a', p(80)), 'b', p(80));
    expect([published(s, 'a'), published(s, 'b')]).toEqual([[30000], [30001]]);
    s = run(s, { kind: 'service.rm', service: 'a' });
    s = create(s, 'c', p(80));
    expect(published(s, 'c')).toEqual([30002]);
  });

  test('the search wraps to the lowest free port past 32767, and resumes after it', () => {
    let s = create(swarm(), 'a', p(80));
    // The allocator's position as if 2,767 hand-outs had happened (a service per port would take minutes).
    s = { ...s, dynamicPortNext: { ...s.dynamicPortNext, tcp: 32767 - 30000 } };
    s = create(s, 'b', p(80));
    expect(published(s, 'b')).toEqual([32767]);
    expect(s.dynamicPortNext.tcp).toBe(0);
    s = create(s, 'c', p(80), p(81));
    expect(published(s, 'c')).toEqual([30001, 30002]);
  });

  test('explicit ports in the range are skipped, and do not move the search', () => {
    let s = create(swarm(), 'x', p(80, 30001));
    expect(s.dynamicPortNext.tcp).toBe(0);
    s = create(s, 'a', p(80), p(81));
    expect(published(s, 'a')).toEqual([30000, 30002]);
  });

  test('each protocol has its own space and its own search position', () => {
    let s = create(swarm(), 'a', p(80), p(81));
    s = create(s, 'u', p(53, 0, 'ingress', 'udp'));
    expect(published(s, 'u')).toEqual([30000]);
    expect(s.dynamicPortNext).toEqual({ tcp: 2, udp: 1, sctp: 0 });
  });

  test('host-mode ports are not in the allocator: a dynamic port can equal one', () => {
    let s = create(swarm(), 'h', p(80, 30000, 'host'));
    s = create(s, 'a', p(80));
    expect(published(s, 'a')).toEqual([30000]);
    // And the scheduler's host-port filter looks at host-mode ports only
    // (moby/swarmkit:manager/scheduler/filter.go (HostPortFilter.SetTask)): on a one-node swarm both run.
    s = settled(create(create(cluster([{ hostname: 'solo' }]), 'h', p(80, 30000, 'host')), 'a', p(80)));
    expect(published(s, 'a')).toEqual([30000]);
    expect(s.tasks.map((t) => t.observed)).toEqual(['running', 'running']);
  });
  test("a service's own explicit port in the range, listed before its published-0 port, is not handed out again", () => {
    // serviceAllocatePorts allocates in spec order: GetSpecificID(30000) first, then GetID(serial)
    // finds 30000 taken and hands out 30001.
    const s = create(swarm(), 'a', p(80, 30000), p(81));
    expect(published(s, 'a')).toEqual([30000, 30001]);
  });
});

describe('ports of the service itself', () => {
  test('a host-mode port of the same service does not hold its number in the ingress space', () => {
    // serviceAllocatePorts allocates only ingress ports: the host 30000 is never reserved, so the
    // published-0 port after it gets 30000 too.
    const s = create(swarm(), 'h', p(80, 30000, 'host'), p(81));
    expect(s.services[0].ports).toEqual([p(80, 30000, 'host'), p(81, 30000)]);
  });

  test('its old ingress ports are released before it is allocated again, so one can come straight back', () => {
    // A new leader's allocator searches from 30000 again. Adding a port changes the count, so a is
    // allocated afresh: serviceDeallocatePorts frees its 30000 first, and GetID(serial) finds it free.
    let s = create(swarm(), 'a', p(80));
    s = settled(act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'm1') }));
    expect(s.dynamicPortNext.tcp).toBe(0);
    s = run(s, { kind: 'service.update', service: 'a', update: { publishAdd: [p(81)] } });
    expect(published(s, 'a')).toEqual([30000, 30001]);
  });

  test('its new tasks are moved to PENDING with "pending task scheduling"', () => {
    // moby/swarmkit:manager/allocator/network.go (allocatedStatusMessage).
    let s = create(swarm(), 'a', p(80));
    // The orchestrator's first action creates the slot's task (NEW); then the allocator acts.
    s = act(s, enabled(s).find((a) => a.actor === 'orchestrator')!);
    expect(s.tasks.map((t) => t.observed)).toEqual(['new']);
    s = act(s, { actor: 'allocator', kind: 'allocate' });
    expect(s.tasks.map((t) => [t.observed, t.message])).toEqual([['pending', 'pending task scheduling']]);
  });
});

describe('an exhausted dynamic range', () => {
  // Every port of 30000–32767 taken by one service of 2,768 published-0 ports.
  const full = () => {
    const all = Array.from({ length: DYNAMIC_PORT_END - DYNAMIC_PORT_START + 1 }, (_, i) => p(1000 + i));
    return create(swarm(), 'x', ...all);
  };

  test('hands out no port: the service is left unallocated, its port 0', () => {
    let s = full();
    expect(new Set(published(s, 'x')).size).toBe(2768);
    s = create(s, 'a', p(80));
    // serviceAllocatePorts fails (idm GetID: no free id); the model keeps the spec's 0, never a taken port.
    expect(published(s, 'a')).toEqual([0]);
  });

  test('the last free port is handed out once, even when the next search wraps around to it', () => {
    // x holds 30000–32766, so a's first port gets 32767 and the search wraps to 30000. The second
    // search finds nothing free: SwarmKit's GetID fails there (and the model leaves that port at 0,
    // see allocateServicePorts); either way 32767 is never handed out twice.
    const size = DYNAMIC_PORT_END - DYNAMIC_PORT_START + 1;
    let s = create(swarm(), 'x', ...Array.from({ length: size - 1 }, (_, i) => p(1000 + i)));
    s = create(s, 'a', p(80), p(81));
    expect(published(s, 'a').filter((x) => x === DYNAMIC_PORT_END)).toEqual([DYNAMIC_PORT_END]);
    expect(published(s, 'x')).not.toContain(DYNAMIC_PORT_END);
  });

  test('the next update of the unallocated service allocates it once a port is free', () => {
    // doNetworkAlloc does not queue a service whose allocation failed at create; an update event finds
    // it unallocated (isPortsAllocatedOnInit: a published-0 port holds no port) and allocates again.
    let s = create(full(), 'a', p(80));
    s = run(s, { kind: 'service.rm', service: 'x' });
    s = run(s, { kind: 'service.update', service: 'a', update: { force: true } });
    expect(published(s, 'a')).toEqual([30000]);
  });
});

describe('a service update', () => {
  const withHoles = () => {
    let s = create(create(swarm(), 'a', p(80)), 'b', p(80));
    s = run(s, { kind: 'service.rm', service: 'a' }); // 30000 free, the search is at 30002
    return s;
  };

  test('--force leaves an allocated endpoint alone, even with a lower port free', () => {
    const s = run(withHoles(), { kind: 'service.update', service: 'b', update: { force: true } });
    expect(published(s, 'b')).toEqual([30001]);
    expect(s.dynamicPortNext.tcp).toBe(2);
  });

  test('adding a port changes the count: every published-0 port is allocated afresh, in spec order', () => {
    const s = run(withHoles(), {
      kind: 'service.update',
      service: 'b',
      update: { publishAdd: [p(81, 8081)] },
    });
    expect(published(s, 'b')).toEqual([30002, 8081]);
  });

  test('with the same count, a published-0 port keeps its port by (protocol, target); a new target gets a fresh one', () => {
    let s = create(withHoles(), 'c', p(80), p(81)); // 30002, 30003
    s = run(s, {
      kind: 'service.update',
      service: 'c',
      update: { publishRm: [p(81)], publishAdd: [p(82)] },
    });
    // reconcilePortConfigs: 80 keeps 30002; 82 is searched from after the last hand-out (30003).
    expect(published(s, 'c')).toEqual([30002, 30004]);
  });

  test('with the same count, explicit ports go first in the endpoint, then the published-0 ones', () => {
    let s = create(swarm(), 'c', p(80), p(81, 8081));
    s = run(s, {
      kind: 'service.update',
      service: 'c',
      update: { publishRm: [p(81)], publishAdd: [p(82, 8082)] },
    });
    expect(s.services[0].ports).toEqual([p(82, 8082), p(80, 30000)]);
  });

  test('a rollback that changes the count allocates afresh too', () => {
    let s = run(withHoles(), { kind: 'service.update', service: 'b', update: { publishAdd: [p(81, 8081)] } });
    s = run(s, { kind: 'service.rollback', service: 'b' });
    expect(published(s, 'b')).toEqual([30003]);
  });

  test('--force keeps the endpoint as it is, explicit ports included, in its order', () => {
    // isPortsAllocatedOnInit takes each explicit port's state by its published port, then each
    // published-0 one; all found, the allocator leaves the endpoint alone (reconcilePortConfigs would
    // have put the explicit port first).
    let s = create(swarm(), 'c', p(81), p(80, 8080));
    expect(s.services[0].ports).toEqual([p(81, 30000), p(80, 8080)]);
    s = run(s, { kind: 'service.update', service: 'c', update: { force: true } });
    expect(s.services[0].ports).toEqual([p(81, 30000), p(80, 8080)]);
    expect(s.dynamicPortNext.tcp).toBe(1);
  });

  test('a target port published twice, as 8080 and dynamically, keeps both ports through updates', () => {
    // delState takes the explicit port's state by its number first, so the published-0 one finds its own.
    let s = create(swarm(), 'c', p(80, 8080), p(80), p(81));
    expect(published(s, 'c')).toEqual([8080, 30000, 30001]);
    s = run(s, { kind: 'service.update', service: 'c', update: { force: true } });
    expect(published(s, 'c')).toEqual([8080, 30000, 30001]);
    // Same count, not allocated (82 is new): reconcilePortConfigs pairs 80's two states the same way.
    s = run(s, { kind: 'service.update', service: 'c', update: { publishRm: [p(81)], publishAdd: [p(82)] } });
    expect(s.services[0].ports).toEqual([p(80, 8080), p(80, 30000), p(82, 30002)]);
  });

  test('a port moved to another protocol is allocated afresh in that protocol’s space', () => {
    let s = create(create(swarm(), 'a', p(80)), 'u', p(53, 0, 'ingress', 'udp'));
    s = run(s, {
      kind: 'service.update',
      service: 'a',
      update: { publishRm: [p(80)], publishAdd: [p(80, 0, 'ingress', 'udp')] },
    });
    // delState matches on protocol: tcp/80's state is not udp/80's, so udp is searched after u's 30000.
    expect(s.services[0].ports).toEqual([p(80, 30001, 'ingress', 'udp')]);
  });

  test('a port switched from host mode to ingress gets an ingress port', () => {
    // Only ingress states count as allocated (isPortsAllocatedOnInit) or are reused
    // (reconcilePortConfigs): the host-mode 9090 is not the ingress port's.
    let s = create(swarm(), 'h', p(80, 9090, 'host'));
    s = run(s, {
      kind: 'service.update',
      service: 'h',
      update: { publishRm: [p(80, 0, 'host')], publishAdd: [p(80)] },
    });
    expect(s.services[0].ports).toEqual([p(80, 30000)]);
  });

  test('a host-mode port moved to another target, published as 0, is reallocated: host ports first', () => {
    // isPortsAllocatedOnInit: host target 82 is not in the endpoint → not allocated;
    // reconcilePortConfigs: the host port first, then 80 keeps its 30000.
    let s = create(swarm(), 'h', p(80), p(81, 9090, 'host'));
    s = run(s, {
      kind: 'service.update',
      service: 'h',
      update: { publishRm: [p(81, 0, 'host')], publishAdd: [p(82, 0, 'host')] },
    });
    expect(s.services[0].ports).toEqual([p(82, 0, 'host'), p(80, 30000)]);
  });

  test('a host port set to 0 goes unnoticed beside an explicit ingress port and another host port', () => {
    // hostPublishPortsNeedUpdate looks only at host-mode ports with a number: 82's 7070 is held, so
    // nothing changes and 81 keeps 9090.
    const ports = [p(80, 8080), p(81, 9090, 'host'), p(82, 7070, 'host')];
    let s = create(swarm(), 'h', ...ports);
    s = run(s, {
      kind: 'service.update',
      service: 'h',
      update: { publishRm: [p(81, 0, 'host')], publishAdd: [p(81, 0, 'host')] },
    });
    expect(s.services[0].spec.endpoint.ports).toContainEqual(p(81, 0, 'host'));
    expect(s.services[0].ports).toEqual(ports);
  });

  test('a host port moved to udp and published as 0 goes unnoticed: the endpoint keeps tcp/9090', () => {
    // isPortsAllocatedOnInit knows host ports by target port only; hostPublishPortsNeedUpdate skips
    // published-0 ones. So SwarmKit leaves the endpoint as it was.
    let s = create(swarm(), 'h', p(81, 9090, 'host'));
    s = run(s, {
      kind: 'service.update',
      service: 'h',
      update: { publishRm: [p(81, 0, 'host')], publishAdd: [p(81, 0, 'host', 'udp')] },
    });
    expect(s.services[0].spec.endpoint.ports).toEqual([p(81, 0, 'host', 'udp')]);
    expect(s.services[0].ports).toEqual([p(81, 9090, 'host')]);
  });

  test('an ingress port switched to host mode on the same target is not "allocated": the ingress port goes', () => {
    // isPortsAllocatedOnInit remembers the target ports of host-mode states only: target 80 is held
    // as ingress, so the service is reallocated and its endpoint is just the host port.
    let s = create(swarm(), 'h', p(80));
    s = run(s, {
      kind: 'service.update',
      service: 'h',
      update: { publishRm: [p(80)], publishAdd: [p(80, 0, 'host')] },
    });
    expect(s.services[0].ports).toEqual([p(80, 0, 'host')]);
  });

  test('a host port given the number of an ingress state on the same target still counts as changed', () => {
    // isPortsAllocatedOnInit: the published-0 ingress port takes the 8080 state, host target 80 is
    // there. hostPublishPortsNeedUpdate compares with host-mode states only (9090), so 8080 is new.
    let s = create(swarm(), 'h', p(80, 8080), p(80, 9090, 'host'));
    s = run(s, {
      kind: 'service.update',
      service: 'h',
      update: { publishRm: [p(80), p(80, 0, 'host')], publishAdd: [p(80), p(80, 8080, 'host')] },
    });
    expect(s.services[0].ports).toEqual([p(80, 8080), p(80, 8080, 'host')]);
  });

  test('a host-mode port given a new number replaces the endpoint’s host ports; one set to 0 keeps the old number', () => {
    let s = create(swarm(), 'h', p(80), p(81, 9090, 'host'));
    s = run(s, {
      kind: 'service.update',
      service: 'h',
      update: { publishRm: [p(81, 0, 'host')], publishAdd: [p(81, 9191, 'host')] },
    });
    expect(s.services[0].ports).toEqual([p(80, 30000), p(81, 9191, 'host')]);
    s = run(s, {
      kind: 'service.update',
      service: 'h',
      update: { publishRm: [p(81, 0, 'host')], publishAdd: [p(81, 0, 'host')] },
    });
    expect(s.services[0].ports).toEqual([p(80, 30000), p(81, 9191, 'host')]);
  });
});

test('a new leader starts a new allocator: the search is back at 30000, the services keep their ports', () => {
  let s = create(create(swarm(), 'a', p(80)), 'b', p(80));
  s = run(s, { kind: 'service.rm', service: 'a' });
  s = settled(act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'm1') }));
  expect(s.raft.leader).not.toBe(nodeId(s, 'm1'));
  expect(s.dynamicPortNext).toEqual({ tcp: 0, udp: 0, sctp: 0 });
  expect(published(s, 'b')).toEqual([30001]);
  s = create(s, 'c', p(80));
  expect(published(s, 'c')).toEqual([30000]);
});
