/**
 * Service commands, refusal by refusal and effect by effect, as docker and SwarmKit answer them:
 * moby/swarmkit:manager/controlapi/service.go (validateServiceSpec and its validate* helpers,
 * validateNetworks, checkPortConflicts, CreateService, UpdateService, RemoveService),
 * manager/controlapi/common.go (validateAnnotations); docker/cli:cli/command/service/opts.go
 * (ToServiceMode, ToService), parse.go (ParseSecrets, ParseConfigs), update.go (updateService,
 * updateReplicas, updatePorts, getUpdatedSecrets), scale.go (runScale), ps.go; moby/moby:
 * daemon/cluster/helpers.go (getService).
 */
import { describe, expect, test } from 'vitest';
import { nextSpecVersion, serviceCommand, updateServiceSpec } from '../../model/controlapi/service.ts';
import type { State } from '../../model/index.ts';
import type { Updater } from '../../model/orchestrator/updater.ts';
import type { PortConfig, ServiceSpec, ServiceUpdate, UserCommand } from '../../model/spec.ts';
import { cluster, create, refuse, run, service, settled } from './helpers.ts';

const one = () => cluster([{ hostname: 'm1' }]);
const mk = (spec: ServiceSpec): UserCommand => ({ kind: 'service.create', spec });
const upd = (svc: string, update: ServiceUpdate): UserCommand => ({
  kind: 'service.update',
  service: svc,
  update,
});
const port = (
  publishedPort: number,
  targetPort = 80,
  mode: PortConfig['mode'] = 'ingress',
  protocol: PortConfig['protocol'] = 'tcp',
): PortConfig => ({
  protocol,
  targetPort,
  publishedPort,
  mode,
});
const ref = (name: string, target = name) => ({ name, target });
const svcOf = (s: State, name: string) => s.services.find((x) => x.spec.name === name)!;
const withObjects = (s: State, secrets: string[], configs: string[] = []) => {
  for (const n of secrets) s = run(s, { kind: 'secret.create', name: n, sizeBytes: 8, labels: {} });
  for (const n of configs) s = run(s, { kind: 'config.create', name: n, sizeBytes: 8, labels: {} });
  return s;
};

describe('docker service create: SwarmKit validateServiceSpec, in its order', () => {
  test('names: 63 characters is the DNS label limit (validateAnnotations)', () => {
    const s = one();
    expect(run(s, mk(service('a'.repeat(63)))).services).toHaveLength(1);
    expect(refuse(s, mk(service('a'.repeat(64))))).toBe('name must be 63 characters or fewer');
  });

  test('reservations: cpu at least 0.001 (printed with %g), memory at least 4MiB; 0 means none (validateResources)', () => {
    const s = one();
    const res = (nanoCpus: number, memoryBytes: number) =>
      service('web', {}, { reservations: { nanoCpus, memoryBytes } });
    expect(refuse(s, mk(res(500_000, 0)))).toBe('invalid cpu value 0.0005: Must be at least 0.001');
    // %g switches to an exponent below 1e-4 (Go's strconv 'g' with shortest precision).
    expect(refuse(s, mk(res(100_000, 0)))).toBe('invalid cpu value 0.0001: Must be at least 0.001');
    expect(refuse(s, mk(res(50_000, 0)))).toBe('invalid cpu value 5e-05: Must be at least 0.001');
    expect(refuse(s, mk(res(1, 0)))).toBe('invalid cpu value 1e-09: Must be at least 0.001');
    expect(refuse(s, mk(res(-500_000_000, 0)))).toBe('invalid cpu value -0.5: Must be at least 0.001');
    // From a decimal exponent of 6 up Go's shortest %g is in exponent form too (only a negative count
    // gets there): -1e+06 where JavaScript writes -1000000.
    expect(refuse(s, mk(res(-999_999_500_000_000, 0)))).toBe(
      'invalid cpu value -999999.5: Must be at least 0.001',
    );
    expect(refuse(s, mk(res(-1e15, 0)))).toBe('invalid cpu value -1e+06: Must be at least 0.001');
    expect(refuse(s, mk(res(-1_234_567e9, 0)))).toBe(
      'invalid cpu value -1.234567e+06: Must be at least 0.001',
    );
    expect(refuse(s, mk(res(0, 4 * 1024 * 1024 - 1)))).toBe(
      'invalid memory value 4194303: Must be at least 4MiB',
    );
    expect(svcOf(run(s, mk(res(1_000_000, 4 * 1024 * 1024))), 'web').spec.task.reservations).toEqual({
      nanoCpus: 1_000_000,
      memoryBytes: 4 * 1024 * 1024,
    });
  });

  test('restart delay and window cannot be negative (validateRestartPolicy)', () => {
    const s = one();
    const r = (delayMs: number, windowMs: number) =>
      service('web', {}, { restart: { condition: 'any', delayMs, maxAttempts: 0, windowMs } });
    expect(refuse(s, mk(r(-1, 0)))).toBe('TaskSpec: restart-delay cannot be negative');
    expect(refuse(s, mk(r(0, -1)))).toBe('TaskSpec: restart-window cannot be negative');
    expect(run(s, mk(r(0, 0))).services).toHaveLength(1);
  });

  test('an image must be given (validateImage)', () => {
    expect(refuse(one(), mk(service('web', {}, { image: '' })))).toBe(
      'ContainerSpec: image reference must be provided',
    );
  });

  test('replicas cannot be negative (validateMode; the CLI cannot send it, the API can)', () => {
    const s = one();
    expect(refuse(s, mk(service('web', { replicas: -1 })))).toBe('Number of replicas must be non-negative');
    expect(svcOf(run(s, mk(service('web', { replicas: 0 }))), 'web').spec.replicas).toBe(0);
  });

  test('update config: delay and monitor not negative, failure ratio within [0, 1] (validateUpdate)', () => {
    const s = one();
    const u = (o: Partial<ServiceSpec['update']>) => {
      const d = service('web');
      return { ...d, update: { ...d.update, ...o } };
    };
    expect(refuse(s, mk(u({ delayMs: -1 })))).toBe('TaskSpec: update-delay cannot be negative');
    expect(refuse(s, mk(u({ monitorMs: -1 })))).toBe('TaskSpec: update-monitor cannot be negative');
    const ratio = 'TaskSpec: update-maxfailureratio cannot be less than 0 or bigger than 1';
    expect(refuse(s, mk(u({ maxFailureRatio: -0.1 })))).toBe(ratio);
    expect(refuse(s, mk(u({ maxFailureRatio: 1.1 })))).toBe(ratio);
    expect(run(s, mk(u({ maxFailureRatio: 1 }))).services).toHaveLength(1);
    expect(run(s, mk(u({ maxFailureRatio: 0 }))).services).toHaveLength(1);
  });

  test('endpoint: no ingress port with dnsrr; a published port/protocol at most once (validateEndpointSpec)', () => {
    const s = one();
    const ep = (mode: 'vip' | 'dnsrr', ports: PortConfig[]) => ({
      ...service('web'),
      endpoint: { mode, ports },
    });
    expect(refuse(s, mk(ep('dnsrr', [port(0)])))).toBe(
      "EndpointSpec: port published with ingress mode can't be used with dnsrr mode",
    );
    expect(run(s, mk(ep('dnsrr', [port(8080, 80, 'host')]))).services).toHaveLength(1);
    expect(refuse(s, mk(ep('vip', [port(8080, 80), port(8080, 81)])))).toBe(
      'EndpointSpec: duplicate published ports provided',
    );
    expect(refuse(s, mk(ep('vip', [port(8080, 80, 'ingress'), port(8080, 81, 'host')])))).toBe(
      'EndpointSpec: duplicate published ports provided',
    );
    // Unpublished (dynamic) ports never collide; another protocol is another port.
    expect(run(s, mk(ep('vip', [port(0, 80), port(0, 81)]))).services).toHaveLength(1);
    expect(run(s, mk(ep('vip', [port(8080, 80), port(8080, 80, 'ingress', 'udp')]))).services).toHaveLength(
      1,
    );
  });

  test('--replicas-max-per-node is refused by the CLI for a global service, before anything else (ToServiceMode)', () => {
    const g = { ...service('mon', { mode: 'global', replicas: undefined }, { image: '' }) };
    g.task.placement = { constraints: [], preferences: [], maxReplicas: 2 };
    expect(refuse(one(), mk(g))).toBe(
      'replicas-max-per-node can only be used with replicated or replicated-job mode',
    );
    // 0 is no limit, and accepted.
    g.task = { ...g.task, image: 'busybox', placement: { ...g.task.placement, maxReplicas: 0 } };
    expect(run(one(), mk(g)).services).toHaveLength(1);
  });
});

describe('docker service create: what the CLI resolves first, and SwarmKit after the spec', () => {
  test('a target named twice is refused by the CLI, naming the later reference (ParseSecrets, ParseConfigs)', () => {
    const s = withObjects(one(), ['a', 'b'], ['c', 'd']);
    expect(refuse(s, mk(service('web', {}, { secrets: [ref('a', 'x'), ref('b', 'x')] })))).toBe(
      'duplicate secret target for b not allowed',
    );
    expect(refuse(s, mk(service('web', {}, { configs: [ref('c', '/x'), ref('d', '/x')] })))).toBe(
      'duplicate config target for d not allowed',
    );
    // Secrets and configs have separate target spaces.
    expect(
      run(s, mk(service('web', {}, { secrets: [ref('a', 'x')], configs: [ref('c', 'x')] }))).services,
    ).toHaveLength(1);
  });

  test('a secret or config that does not exist is refused by the CLI, one name at a time', () => {
    const s = withObjects(one(), ['a'], ['c']);
    expect(refuse(s, mk(service('web', {}, { secrets: [ref('a'), ref('nope'), ref('gone')] })))).toBe(
      'secret not found: nope',
    );
    expect(refuse(s, mk(service('web', {}, { configs: [ref('c'), ref('nope')] })))).toBe(
      'config not found: nope',
    );
    // A config's name does not satisfy a secret reference.
    expect(refuse(s, mk(service('web', {}, { secrets: [ref('c')] })))).toBe('secret not found: c');
  });

  test('networks: an unknown one is refused before anything else; ingress cannot be named (validateNetworks)', () => {
    const s = run(one(), {
      kind: 'network.create',
      name: 'back',
      driver: 'overlay',
      attachable: false,
      ingress: false,
    });
    // The CLI resolves networks before it sends the spec, so an invalid name does not matter yet.
    expect(refuse(s, mk(service('-bad', {}, { networks: ['nope'] })))).toBe('network nope not found');
    expect(refuse(s, mk(service('web', {}, { networks: ['back', 'ingress'] })))).toBe(
      'Service cannot be explicitly attached to the ingress network "ingress"',
    );
    // SwarmKit validates the spec before the networks.
    expect(refuse(s, mk(service('-bad', {}, { networks: ['ingress'] })))).toBe(
      'name must be valid as a DNS name component',
    );
    const id = s.networks.find((n) => n.name === 'back')!.id;
    expect(svcOf(run(s, mk(service('web', {}, { networks: [id] }))), 'web').spec.task.networks).toEqual([id]);
    // The CLI sends network IDs, and SwarmKit looks the target up by ID: ingress named by its ID too.
    const ingress = s.networks.find((n) => n.ingress)!.id;
    expect(refuse(s, mk(service('web', {}, { networks: [ingress] })))).toBe(
      'Service cannot be explicitly attached to the ingress network "ingress"',
    );
  });

  test('through the API, a network target SwarmKit cannot find is skipped by validateNetworks', () => {
    // moby/swarmkit:manager/controlapi/service.go (validateNetworks): `if network == nil { continue }`;
    // only the CLI's resolution refuses an unknown name, and UpdateService does not go through it.
    const s = create(one(), service('web'));
    const spec = svcOf(s, 'web').spec;
    const r = updateServiceSpec(s, 'web', { ...spec, task: { ...spec.task, networks: ['nope'] } });
    expect(r.ok && svcOf(r.state, 'web').spec.task.networks).toEqual(['nope']);
  });

  test('published ports: ingress conflicts with anything, host only with ingress (checkPortConflicts)', () => {
    let s = create(one(), { ...service('web'), endpoint: { mode: 'vip', ports: [port(8080), port(0, 81)] } });
    s = create(s, { ...service('h'), endpoint: { mode: 'vip', ports: [port(9090, 80, 'host')] } });
    const web = svcOf(s, 'web').id;
    const h = svcOf(s, 'h').id;
    const ep = (ports: PortConfig[]) => ({ ...service('api'), endpoint: { mode: 'vip' as const, ports } });
    expect(refuse(s, mk(ep([port(8080, 80, 'host')])))).toBe(
      `port '8080' is already in use by service 'web' (${web}) as an ingress port`,
    );
    expect(refuse(s, mk(ep([port(9090)])))).toBe(
      `port '9090' is already in use by service 'h' (${h}) as a host-published port`,
    );
    // The port the allocator picked for web's unpublished port counts too (the service's Endpoint).
    const dyn = svcOf(s, 'web').ports[1].publishedPort;
    expect(dyn).toBe(30000);
    expect(refuse(s, mk(ep([port(dyn)])))).toBe(
      `port '30000' is already in use by service 'web' (${web}) as an ingress port`,
    );
    // Other protocols, and unpublished ports, do not conflict.
    expect(run(s, mk(ep([port(8080, 80, 'ingress', 'udp'), port(0)]))).services).toHaveLength(3);
  });

  test("the port named is the first conflict in the other service's spec, before its endpoint (checkPortConflicts)", () => {
    // web asks for a dynamic port first, then 8080: its endpoint holds 30000, then 8080.
    const s = create(one(), {
      ...service('web'),
      endpoint: { mode: 'vip', ports: [port(0, 80), port(8080, 81)] },
    });
    const web = svcOf(s, 'web');
    expect(web.ports).toEqual([port(30000, 80), port(8080, 81)]);
    // api publishes both: SwarmKit walks web's Spec.Endpoint.Ports first (the unpublished one is skipped),
    // so 8080 is named, not the 30000 that comes first in web's Endpoint.
    const api = { ...service('api'), endpoint: { mode: 'vip' as const, ports: [port(30000), port(8080)] } };
    expect(refuse(s, mk(api))).toBe(
      `port '8080' is already in use by service 'web' (${web.id}) as an ingress port`,
    );
  });

  test('effect: the service is stored as given, at version 0, with its ports allocated', () => {
    const s0 = one();
    const spec = { ...service('web', { replicas: 3 }), endpoint: { mode: 'vip' as const, ports: [port(0)] } };
    const s1 = run(s0, mk(spec));
    const svc = svcOf(s1, 'web');
    expect(svc.spec).toEqual(spec);
    expect(svc).toMatchObject({
      version: 0,
      previousSpec: null,
      previousVersion: 0,
      updateStatus: null,
      createdAt: s0.now,
    });
    expect(svc.ports).toEqual([port(30000)]);
  });
});

describe('docker service update', () => {
  const base = () => create(withObjects(one(), ['a', 'b'], ['c', 'd']), service('web', { replicas: 2 }));
  const spec = (s: State) => svcOf(s, 'web').spec;

  test('an unknown service is refused (getService)', () => {
    expect(refuse(base(), upd('nope', { image: 'x' }))).toBe('service nope not found');
    expect(refuse(base(), { kind: 'service.rollback', service: 'nope' })).toBe('service nope not found');
  });

  test('the service is found by id before name (getService)', () => {
    let s = base();
    const web = svcOf(s, 'web').id;
    s = create(s, service(web));
    const r = run(s, upd(web, { image: 'nginx:2' }));
    expect(svcOf(r, 'web').spec.task.image).toBe('nginx:2');
    expect(svcOf(r, web).spec.task.image).toBe('nginx');
  });

  test('--replicas on a global service: the update path has its own, older text (updateReplicas)', () => {
    const s = create(one(), service('mon', { mode: 'global', replicas: undefined }));
    expect(refuse(s, upd('mon', { replicas: 2 }))).toBe('replicas can only be used with replicated mode');
  });

  test('--replicas-max-per-node is applied whatever the mode (updateService)', () => {
    const s = create(one(), service('mon', { mode: 'global', replicas: undefined }));
    const r = run(s, upd('mon', { replicasMaxPerNode: 2 }));
    expect(svcOf(r, 'mon').spec.task.placement).toEqual({ constraints: [], preferences: [], maxReplicas: 2 });
  });

  test('flags change only what they name', () => {
    const s = base();
    const before = spec(s);
    const updated = (u: ServiceUpdate) => spec(run(s, upd('web', u)));
    expect(updated({ force: true }).task.forceUpdate).toBe(before.task.forceUpdate + 1);
    expect(updated({ force: true }).task).toEqual({ ...before.task, forceUpdate: 1 });
    expect(updated({ replicas: 5 })).toEqual({ ...before, replicas: 5 });
    expect(updated({ labelAdd: { a: '1' } })).toEqual({ ...before, labels: { a: '1' } });
    expect(updated({ restart: { delayMs: 7 } }).task.restart).toEqual({ ...before.task.restart, delayMs: 7 });
    expect(updated({ reservations: { nanoCpus: 2_000_000 } }).task.reservations).toEqual({
      nanoCpus: 2_000_000,
      memoryBytes: 0,
    });
    expect(updated({ update: { parallelism: 3 } })).toEqual({
      ...before,
      update: { ...before.update, parallelism: 3 },
    });
    expect(updated({ rollback: { parallelism: 4 } })).toEqual({
      ...before,
      rollback: { ...before.rollback, parallelism: 4 },
    });
    // Constraints given at create keep their order until a constraint flag rewrites (and sorts) them.
    const placement = {
      constraints: ['node.role==worker', 'node.labels.a==1'],
      preferences: [],
      maxReplicas: 0,
    };
    const c = create(one(), service('c', {}, { placement }));
    expect(svcOf(run(c, upd('c', { image: 'x' })), 'c').spec.task.placement).toEqual(placement);
    // --replicas-max-per-node alone keeps the constraints; constraints alone keep the limit.
    const s2 = run(s, upd('web', { replicasMaxPerNode: 2 }));
    expect(spec(s2).task.placement).toEqual({ constraints: [], preferences: [], maxReplicas: 2 });
    expect(spec(run(s2, upd('web', { constraintAdd: ['node.role==worker'] }))).task.placement).toEqual({
      constraints: ['node.role==worker'],
      preferences: [],
      maxReplicas: 2,
    });
  });

  test('--secret-rm then --secret-add; --config-rm then --config-add (getUpdatedSecrets, getUpdatedConfigs)', () => {
    let s = base();
    s = run(s, upd('web', { secretAdd: [ref('a')], configAdd: [ref('c', '/c')] }));
    expect(spec(s).task.secrets).toEqual([ref('a')]);
    expect(spec(s).task.configs).toEqual([ref('c', '/c')]);
    s = run(s, upd('web', { secretAdd: [ref('b')], configAdd: [ref('d', '/d')] }));
    expect(spec(s).task.secrets).toEqual([ref('a'), ref('b')]);
    expect(spec(s).task.configs).toEqual([ref('c', '/c'), ref('d', '/d')]);
    const rmA = run(s, upd('web', { secretRm: ['a'] }));
    expect(spec(rmA).task.secrets).toEqual([ref('b')]);
    expect(spec(rmA).task.configs).toEqual(spec(s).task.configs);
    const rmC = run(s, upd('web', { configRm: ['c'] }));
    expect(spec(rmC).task.configs).toEqual([ref('d', '/d')]);
    expect(spec(rmC).task.secrets).toEqual(spec(s).task.secrets);
    // Removed first, then added: a secret can be re-added under a new target in one update.
    const moved = run(s, upd('web', { secretRm: ['a'], secretAdd: [ref('a', 'a2')] }));
    expect(spec(moved).task.secrets).toEqual([ref('b'), ref('a', 'a2')]);
  });

  test("added references are resolved by the CLI; a target clash with a kept one is SwarmKit's (validateSecretRefsSpec)", () => {
    let s = base();
    expect(refuse(s, upd('web', { secretAdd: [ref('nope')] }))).toBe('secret not found: nope');
    expect(refuse(s, upd('web', { configAdd: [ref('nope')] }))).toBe('config not found: nope');
    expect(refuse(s, upd('web', { secretAdd: [ref('a', 'x'), ref('b', 'x')] }))).toBe(
      'duplicate secret target for b not allowed',
    );
    s = run(s, upd('web', { secretAdd: [ref('a', 'x')], configAdd: [ref('c', '/x')] }));
    expect(refuse(s, upd('web', { secretAdd: [ref('b', 'x')] }))).toBe(
      "secret references 'a' and 'b' have a conflicting target: 'x'",
    );
    expect(refuse(s, upd('web', { configAdd: [ref('d', '/x')] }))).toBe(
      "config references 'c' and 'd' have a conflicting target: '/x'",
    );
  });

  test('the new spec is validated like a created one', () => {
    const s = base();
    // The CLI does not parse constraints; SwarmKit's validatePlacement refuses a malformed one
    // (manager/constraint/constraint.go (Parse)), wherever it came from.
    expect(refuse(s, upd('web', { constraintAdd: ['node.role'] }))).toBe(
      'constraint expected one operator from ==, !=',
    );
    expect(refuse(s, upd('web', { constraintAdd: ['node role==worker'] }))).toBe(
      "key 'node role' is invalid",
    );
    // Through the API (the CLI has no flag for it here), ingress cannot be named on update either.
    const r = updateServiceSpec(s, 'web', { ...spec(s), task: { ...spec(s).task, networks: ['ingress'] } });
    expect(r).toEqual({
      ok: false,
      error: 'Service cannot be explicitly attached to the ingress network "ingress"',
    });
    expect(refuse(s, upd('web', { image: '' }))).toBe('ContainerSpec: image reference must be provided');
    expect(refuse(s, upd('web', { restart: { windowMs: -5 } }))).toBe(
      'TaskSpec: restart-window cannot be negative',
    );
    expect(refuse(s, upd('web', { update: { monitorMs: -1 } }))).toBe(
      'TaskSpec: update-monitor cannot be negative',
    );
  });

  test('--publish-add/--publish-rm: matched by target, protocol and mode; deduplicated; sorted as text (updatePorts)', () => {
    let s = create(one(), {
      ...service('web'),
      endpoint: { mode: 'vip', ports: [port(9090, 90), port(8080, 80)] },
    });
    // Ports not named keep their order: only the publish flags rewrite the list.
    expect(spec(run(s, upd('web', { image: 'x' }))).endpoint.ports).toEqual([port(9090, 90), port(8080, 80)]);
    s = run(s, upd('web', { publishAdd: [port(443, 443), port(8080, 80, 'host', 'udp')] }));
    expect(spec(s).endpoint.ports).toEqual([
      port(443, 443),
      port(8080, 80),
      port(8080, 80, 'host', 'udp'),
      port(9090, 90),
    ]);
    // Removal names the target port; published port is ignored, protocol and mode must match.
    const r = run(s, upd('web', { publishRm: [port(0, 80)] }));
    expect(spec(r).endpoint.ports).toEqual([port(443, 443), port(8080, 80, 'host', 'udp'), port(9090, 90)]);
    const r2 = run(s, upd('web', { publishRm: [port(0, 80, 'host', 'udp')] }));
    expect(spec(r2).endpoint.ports).toEqual([port(443, 443), port(8080, 80), port(9090, 90)]);
    const r3 = run(s, upd('web', { publishRm: [port(0, 80, 'host', 'tcp')] }));
    expect(spec(r3).endpoint.ports).toEqual(spec(s).endpoint.ports);
    // An added port already there is not added again.
    expect(spec(run(s, upd('web', { publishAdd: [port(443, 443)] }))).endpoint.ports).toEqual(
      spec(s).endpoint.ports,
    );
  });

  test('a new published port is checked against other services; an unchanged endpoint is not (UpdateService)', () => {
    let s = create(one(), { ...service('web'), endpoint: { mode: 'vip', ports: [port(8080)] } });
    s = create(s, service('api'));
    const web = svcOf(s, 'web').id;
    expect(refuse(s, upd('api', { publishAdd: [port(8080)] }))).toBe(
      `port '8080' is already in use by service 'web' (${web}) as an ingress port`,
    );
    // A conflict that slipped in (checkPortConflicts is best effort, outside the store transaction)
    // does not block an update that leaves the endpoint alone.
    const api = svcOf(s, 'api');
    const clash = {
      ...s,
      services: s.services.map((x) =>
        x.id === api.id
          ? {
              ...x,
              spec: { ...x.spec, endpoint: { mode: 'vip' as const, ports: [port(8080)] } },
              ports: [port(8080)],
            }
          : x,
      ),
    };
    expect(svcOf(run(clash, upd('api', { image: 'nginx:2' })), 'api').spec.task.image).toBe('nginx:2');
    // Its own ports never conflict with itself.
    expect(spec(run(s, upd('web', { publishAdd: [port(8081)] }))).endpoint.ports).toEqual([
      port(8080),
      port(8081),
    ]);
  });

  test('effect: PreviousSpec ← old spec, a new SpecVersion, UpdateStatus cleared', () => {
    const s = base();
    const old = svcOf(s, 'web');
    const r = svcOf(run(s, upd('web', { image: 'nginx:2' })), 'web');
    expect(r.previousSpec).toEqual(old.spec);
    expect(r.previousVersion).toBe(old.version);
    expect(r.version).toBe(old.version + 1);
    expect(r.updateStatus).toBeNull();
  });

  test('--rollback swaps Spec and PreviousSpec and starts a rollback; without a previous spec it is refused', () => {
    let s = base();
    const id = svcOf(s, 'web').id;
    expect(refuse(s, upd('web', { rollbackRequest: true }))).toBe(
      `service ${id} does not have a previous spec`,
    );
    const v0 = svcOf(s, 'web');
    s = settled(run(s, upd('web', { image: 'nginx:2' })));
    const v1 = svcOf(s, 'web');
    const r = svcOf(run(s, upd('web', { rollbackRequest: true })), 'web');
    expect(r.spec).toEqual(v0.spec);
    expect(r.version).toBe(v1.previousVersion);
    expect(r.previousSpec).toEqual(v1.spec);
    expect(r.updateStatus).toEqual({ state: 'rollback_started', message: 'manually requested rollback' });
    const r2 = svcOf(run(s, { kind: 'service.rollback', service: 'web' }), 'web');
    expect(r2).toEqual(r);
  });
});

describe('SpecVersion never repeats a version this service has handed out (nextSpecVersion)', () => {
  test("the highest of its versions, its tasks' and its updater's, plus one; other services do not count", () => {
    let s = create(create(one(), service('web')), service('api'));
    const web = svcOf(s, 'web');
    const api = svcOf(s, 'api');
    expect(nextSpecVersion(s, web)).toBe(1);
    const taskOf = (serviceId: string, specVersion: number) => ({
      ...s.tasks[0],
      id: `x${specVersion}`,
      serviceId,
      specVersion,
    });
    s = { ...s, tasks: [taskOf(api.id, 9), taskOf(web.id, 4), taskOf(web.id, 3)] };
    expect(nextSpecVersion(s, web)).toBe(5);
    const upd = (serviceId: string, version: number) => ({ serviceId, version }) as unknown as Updater;
    expect(nextSpecVersion({ ...s, updaters: [upd(api.id, 20), upd(web.id, 6)] }, web)).toBe(7);
    expect(nextSpecVersion({ ...s, updaters: [upd(web.id, 2)] }, web)).toBe(5);
    expect(nextSpecVersion({ ...s, updaters: [upd(web.id, 4)] }, web)).toBe(5);
    expect(nextSpecVersion({ ...s, tasks: [] }, { ...web, version: 2, previousVersion: 8 })).toBe(9);
  });
});

describe('docker service scale', () => {
  const two = () =>
    create(create(one(), service('web')), service('mon', { mode: 'global', replicas: undefined }));

  test('every service is scaled in turn; errors are collected as "<service>: <error>" (runScale)', () => {
    const s = two();
    const all = serviceCommand(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 3 }] });
    expect(all.ok && all.note).toBeUndefined();
    expect(all.ok && svcOf(all.state, 'web').spec.replicas).toBe(3);
    const none = serviceCommand(s, {
      kind: 'service.scale',
      scales: [
        { service: 'nope', replicas: 1 },
        { service: 'mon', replicas: 2 },
        { service: 'web', replicas: -1 },
      ],
    });
    expect(none).toEqual({
      ok: false,
      error:
        'nope: service nope not found\nmon: scale can only be used with replicated or replicated-job mode\nweb: Number of replicas must be non-negative',
    });
    const some = serviceCommand(s, {
      kind: 'service.scale',
      scales: [
        { service: 'nope', replicas: 1 },
        { service: 'web', replicas: 4 },
      ],
    });
    if (!some.ok) throw new Error(some.error);
    expect(some.note).toBe('nope: service nope not found');
    expect(svcOf(some.state, 'web').spec.replicas).toBe(4);
    // Several errors beside a success: still one per line (errors.Join).
    const mixed = serviceCommand(s, {
      kind: 'service.scale',
      scales: [
        { service: 'nope', replicas: 1 },
        { service: 'web', replicas: 2 },
        { service: 'mon', replicas: 2 },
      ],
    });
    if (!mixed.ok) throw new Error(mixed.error);
    expect(mixed.note).toBe(
      'nope: service nope not found\nmon: scale can only be used with replicated or replicated-job mode',
    );
    expect(svcOf(mixed.state, 'web').spec.replicas).toBe(2);
  });
});

describe('docker service rm / docker service ps', () => {
  test('an unknown service is refused', () => {
    expect(refuse(one(), { kind: 'service.rm', service: 'nope' })).toBe('service nope not found');
    expect(refuse(one(), { kind: 'service.ps', service: 'nope' })).toBe('no such service: nope');
    const s = create(one(), service('web'));
    expect(run(s, { kind: 'service.ps', service: 'web' })).toEqual(s);
  });

  test('effect: the service goes, its tasks are to be removed, its updater and restart history are forgotten', () => {
    let s = create(create(one(), service('web', { replicas: 2 })), service('api'));
    const web = svcOf(s, 'web').id;
    const api = svcOf(s, 'api').id;
    const u = (serviceId: string) => ({ serviceId, version: 1 }) as unknown as Updater;
    const h = (key: string) => ({ key, specVersion: 0, totalRestarts: 1, restartedAt: [] });
    s = { ...s, updaters: [u(web), u(api)], restartHistory: [h(`${web}/1`), h(`${api}/1`), h(`x${web}/1`)] };
    const r = run(s, { kind: 'service.rm', service: 'web' });
    expect(r.services.map((x) => x.spec.name)).toEqual(['api']);
    expect(r.updaters).toEqual([u(api)]);
    expect(r.restartHistory).toEqual([h(`${api}/1`), h(`x${web}/1`)]);
    expect(r.tasks.filter((t) => t.serviceId === web).map((t) => t.desired)).toEqual(['remove', 'remove']);
    expect(r.tasks.filter((t) => t.serviceId === api).map((t) => t.desired)).toEqual(['running']);
    // No updater for the removed service: the list is left as it was.
    const r2 = run({ ...s, updaters: [u(api)] }, { kind: 'service.rm', service: 'web' });
    expect(r2.updaters).toEqual([u(api)]);
  });
});
