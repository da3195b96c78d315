/**
 * Secrets, configs and networks, refusal by refusal and effect by effect, as docker and SwarmKit answer
 * them: moby/swarmkit:manager/controlapi/{secret,config,network,common}.go (CreateSecret, RemoveSecret,
 * UpdateSecret, CreateConfig, RemoveConfig, validateConfigOrSecretAnnotations, validateNetworkSpec,
 * CreateNetwork), api/validation/secrets.go (ValidateSecretPayload), manager/state/store/memory.go
 * (ErrNameConflict); moby/moby:daemon/cluster/helpers.go (getSecret, getConfig),
 * daemon/server/router/network/network_routes.go (postNetworkCreate), daemon/network.go (createNetwork,
 * PredefinedNetworkError), daemon/libnetwork/controller.go (NewNetwork), libnetwork/error.go.
 */
import { describe, expect, test } from 'vitest';
import { updateObject } from '../../model/controlapi/objects.ts';
import type { State } from '../../model/index.ts';
import type { UserCommand } from '../../model/spec.ts';
import { cluster, create, refuse, run, service } from './helpers.ts';

const one = () => cluster([{ hostname: 'm1' }]);
const secret = (name: string, sizeBytes = 64): UserCommand => ({
  kind: 'secret.create',
  name,
  sizeBytes,
  labels: {},
});
const config = (name: string, sizeBytes = 64): UserCommand => ({
  kind: 'config.create',
  name,
  sizeBytes,
  labels: {},
});
const network = (name: string, o: { attachable?: boolean; ingress?: boolean } = {}): UserCommand => ({
  kind: 'network.create',
  name,
  driver: 'overlay',
  attachable: o.attachable ?? false,
  ingress: o.ingress ?? false,
});
const ref = (name: string, target = name) => ({ name, target });
const INVALID_NAME =
  'invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]';

describe('docker secret create / docker config create', () => {
  test('names: required, at most 64 of [a-zA-Z0-9-_.], starting and ending alphanumeric (validateConfigOrSecretAnnotations)', () => {
    const s = one();
    expect(refuse(s, secret(''))).toBe('name must be provided');
    expect(refuse(s, config(''))).toBe('name must be provided');
    expect(refuse(s, secret('a'.repeat(65)))).toBe(INVALID_NAME);
    expect(refuse(s, secret('-db'))).toBe(INVALID_NAME);
    expect(refuse(s, secret('db.'))).toBe(INVALID_NAME);
    expect(refuse(s, config('db pass'))).toBe(INVALID_NAME);
    // Dots and underscores are fine inside (unlike service names), and 64 characters is the limit.
    expect(run(s, secret('db.pass_v-1')).secrets.map((x) => x.name)).toEqual(['db.pass_v-1']);
    expect(run(s, secret('a'.repeat(64))).secrets).toHaveLength(1);
  });

  test('payload: 1 byte to under 500 KiB for a secret, under 1000 KiB for a config', () => {
    const s = one();
    expect(refuse(s, secret('db', 0))).toBe('secret data must be larger than 0 and less than 512000 bytes');
    expect(refuse(s, secret('db', 512000))).toBe(
      'secret data must be larger than 0 and less than 512000 bytes',
    );
    expect(refuse(s, config('app', 0))).toBe('config data must be larger than 0 and less than 1024000 bytes');
    expect(refuse(s, config('app', 1024000))).toBe(
      'config data must be larger than 0 and less than 1024000 bytes',
    );
    expect(run(s, secret('db', 1)).secrets).toHaveLength(1);
    expect(run(s, secret('db', 511999)).secrets).toHaveLength(1);
    // A config may be larger than any secret.
    expect(run(s, config('app', 600 * 1024)).configs).toHaveLength(1);
    expect(run(s, config('app', 1023999)).configs).toHaveLength(1);
  });

  test('a name already taken, in any case, is refused with the requested name (store name index is lowercased)', () => {
    let s = run(run(one(), secret('db')), config('app'));
    expect(refuse(s, secret('db'))).toBe('secret db already exists');
    expect(refuse(s, secret('DB'))).toBe('secret DB already exists');
    expect(refuse(s, config('App'))).toBe('config App already exists');
    // Secrets and configs are separate tables: the same name can be both.
    s = run(run(s, config('db')), secret('app'));
    expect(s.secrets.map((x) => x.name)).toEqual(['db', 'app']);
    expect(s.configs.map((x) => x.name)).toEqual(['app', 'db']);
  });

  test('effect: the object is stored with its size and labels, in its own table, under a fresh id', () => {
    const s0 = one();
    const s1 = run(s0, { kind: 'secret.create', name: 'db', sizeBytes: 10, labels: { env: 'prod' } });
    expect(s1.seq).toBe(s0.seq + 1);
    expect(s1.secrets).toEqual([{ id: `s${s1.seq}`, name: 'db', sizeBytes: 10, labels: { env: 'prod' } }]);
    expect(s1.configs).toEqual([]);
    const s2 = run(s1, { kind: 'config.create', name: 'app', sizeBytes: 20, labels: {} });
    expect(s2.configs).toEqual([{ id: `c${s2.seq}`, name: 'app', sizeBytes: 20, labels: {} }]);
    expect(s2.secrets).toEqual(s1.secrets);
  });
});

describe('docker secret rm / docker config rm', () => {
  const withObjects = () =>
    run(run(run(run(one(), secret('db')), secret('tls')), config('app')), config('db'));

  test('an unknown name is refused (the daemon looks it up: getSecret, getConfig)', () => {
    const s = withObjects();
    expect(refuse(s, { kind: 'secret.rm', name: 'nope' })).toBe('secret nope not found');
    expect(refuse(s, { kind: 'config.rm', name: 'nope' })).toBe('config nope not found');
    // A config's name is not a secret's.
    const s2 = run(s, { kind: 'secret.rm', name: 'tls' });
    expect(refuse(s2, { kind: 'config.rm', name: 'tls' })).toBe('config tls not found');
  });

  test('effect: exactly that object goes, found by name or by id', () => {
    const s = withObjects();
    const byName = run(s, { kind: 'secret.rm', name: 'db' });
    expect(byName.secrets.map((x) => x.name)).toEqual(['tls']);
    expect(byName.configs).toEqual(s.configs);
    const tlsId = s.secrets.find((x) => x.name === 'tls')!.id;
    const byId = run(s, { kind: 'secret.rm', name: tlsId });
    expect(byId.secrets.map((x) => x.name)).toEqual(['db']);
    const appId = s.configs.find((x) => x.name === 'app')!.id;
    const cfg = run(s, { kind: 'config.rm', name: appId });
    expect(cfg.configs.map((x) => x.name)).toEqual(['db']);
    expect(cfg.secrets).toEqual(s.secrets);
  });

  test('refused while a service references it, naming the services (RemoveSecret, RemoveConfig)', () => {
    let s = withObjects();
    s = create(s, service('web', {}, { secrets: [ref('db')], configs: [ref('app')] }));
    expect(refuse(s, { kind: 'secret.rm', name: 'db' })).toBe(
      "secret 'db' is in use by the following service: web",
    );
    expect(refuse(s, { kind: 'config.rm', name: 'app' })).toBe(
      "config 'app' is in use by the following service: web",
    );
    // The message names the object, even when it was given by id.
    const dbId = s.secrets.find((x) => x.name === 'db')!.id;
    expect(refuse(s, { kind: 'secret.rm', name: dbId })).toBe(
      "secret 'db' is in use by the following service: web",
    );
    s = create(s, service('api', {}, { secrets: [ref('tls'), ref('db', 'db2')] }));
    expect(refuse(s, { kind: 'secret.rm', name: 'db' })).toBe(
      "secret 'db' is in use by the following services: web, api",
    );
    // Only references of the same kind count: config db and secret tls's other users are unaffected.
    expect(run(s, { kind: 'config.rm', name: 'db' }).configs.map((x) => x.name)).toEqual(['app']);
  });

  test('a secret used only as a config name (or the reverse) is not in use', () => {
    let s = withObjects();
    s = create(s, service('web', {}, { configs: [ref('db')] }));
    expect(run(s, { kind: 'secret.rm', name: 'db' }).secrets.map((x) => x.name)).toEqual(['tls']);
    s = create(s, service('api', {}, { secrets: [ref('tls')] }));
    expect(refuse(s, { kind: 'config.rm', name: 'db' })).toBe(
      "config 'db' is in use by the following service: web",
    );
  });
});

describe('UpdateSecret / UpdateConfig (API only): labels may change, nothing else', () => {
  const withBoth = (): State => run(run(one(), secret('db', 10)), config('db', 20));

  test('an unknown secret or config is refused', () => {
    const s = withBoth();
    expect(updateObject(s, 'secret', 'nope', { name: 'nope', sizeBytes: 10, labels: {} })).toEqual({
      ok: false,
      error: 'secret nope not found',
    });
    expect(
      updateObject(run(one(), secret('x')), 'config', 'x', { name: 'x', sizeBytes: 64, labels: {} }),
    ).toEqual({
      ok: false,
      error: 'config x not found',
    });
  });

  test('a new name or new data is refused', () => {
    const s = withBoth();
    const bad = { ok: false, error: 'only updates to Labels are allowed' };
    expect(updateObject(s, 'secret', 'db', { name: 'db2', sizeBytes: 10, labels: {} })).toEqual(bad);
    expect(updateObject(s, 'secret', 'db', { name: 'db', sizeBytes: 11, labels: {} })).toEqual(bad);
    // The config's own size is what counts.
    expect(updateObject(s, 'config', 'db', { name: 'db', sizeBytes: 10, labels: {} })).toEqual(bad);
  });

  test('effect: only the labels of that object change, found by name or id', () => {
    const s = withBoth();
    const r = updateObject(s, 'config', 'db', { name: 'db', sizeBytes: 20, labels: { v: '2' } });
    if (!r.ok) throw new Error(r.error);
    expect(r.state.configs).toEqual([{ ...s.configs[0], labels: { v: '2' } }]);
    expect(r.state.secrets).toEqual(s.secrets);
    const s2 = run(s, secret('tls', 30));
    const r2 = updateObject(s2, 'secret', s2.secrets[0].id, {
      name: 'db',
      sizeBytes: 10,
      labels: { v: '3' },
    });
    if (!r2.ok) throw new Error(r2.error);
    expect(r2.state.secrets).toEqual([{ ...s2.secrets[0], labels: { v: '3' } }, s2.secrets[1]]);
    expect(r2.state.configs).toEqual(s2.configs);
  });
});

describe('docker network create --driver overlay', () => {
  test('a swarm network of the same name is refused first, by the API router (postNetworkCreate)', () => {
    const s = one();
    expect(refuse(s, network('ingress'))).toBe('network with name ingress already exists');
    // Before SwarmKit would look at the flags.
    expect(refuse(s, network('ingress', { ingress: true, attachable: true }))).toBe(
      'network with name ingress already exists',
    );
  });

  test('predefined and empty names are refused by the daemon (createNetwork, NewNetwork)', () => {
    const s = one();
    expect(refuse(s, network('bridge'))).toBe('operation is not permitted on predefined bridge network ');
    expect(refuse(s, network('host'))).toBe('operation is not permitted on predefined host network ');
    expect(refuse(s, network('none'))).toBe('operation is not permitted on predefined none network ');
    expect(refuse(s, network('default'))).toBe('operation is not permitted on predefined default network ');
    expect(refuse(s, network(''))).toBe('invalid name: name is empty');
    expect(refuse(s, network('  '))).toBe('invalid name: name is empty');
  });

  test('SwarmKit: an ingress network cannot be attachable; names are DNS labels like service names', () => {
    const s = one();
    expect(refuse(s, network('mesh', { ingress: true, attachable: true }))).toBe(
      'ingress network cannot be attachable',
    );
    expect(refuse(s, network('back.end'))).toBe('name must be valid as a DNS name component');
    expect(refuse(s, network('-back'))).toBe('name must be valid as a DNS name component');
    expect(refuse(s, network('n'.repeat(64)))).toBe('name must be 63 characters or fewer');
    expect(run(s, network('n'.repeat(63))).networks).toHaveLength(2);
  });

  test('a second ingress network is refused, naming the present one (CreateNetwork)', () => {
    const s = one();
    const ingress = s.networks.find((n) => n.ingress)!;
    expect(refuse(s, network('mesh', { ingress: true }))).toBe(
      `ingress network (${ingress.id}) is already present`,
    );
    // Without an ingress network, one can be created.
    const s2 = { ...s, networks: [] };
    expect(run(s2, network('mesh', { ingress: true })).networks.map((n) => n.name)).toEqual(['mesh']);
  });

  test('a name differing only in case passes the router but not the store (ErrNameConflict)', () => {
    const s = run(one(), network('back'));
    expect(refuse(s, network('BACK'))).toBe('name conflicts with an existing object');
    expect(refuse(s, network('Ingress'))).toBe('name conflicts with an existing object');
  });

  test('effect: the network is stored with its flags under a fresh id', () => {
    const s0 = one();
    const s1 = run(s0, network('back', { attachable: true }));
    expect(s1.seq).toBe(s0.seq + 1);
    expect(s1.networks).toEqual([
      ...s0.networks,
      { id: `w${s1.seq}`, name: 'back', driver: 'overlay', attachable: true, ingress: false },
    ]);
  });
});
