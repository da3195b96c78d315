/**
 * Secrets, configs and networks: enough to validate references from services.
 * moby/swarmkit:manager/controlapi/{secret,config,network}.go.
 */
import type { StepResult } from '../actions.ts';
import { objectName, resolveRef, unresolved } from '../lookup.ts';
import type { UserCommand } from '../spec.ts';
import type { State } from '../state.ts';
import { validateName, validateObjectName } from './common.ts';

const MAX_SECRET = 500 * 1024;
const MAX_CONFIG = 1000 * 1024;
// moby/moby:daemon/network/network_mode_unix.go (isPreDefined): bridge, host, none, default.
const PREDEFINED_NETWORKS = ['bridge', 'host', 'none', 'default'];

/**
 * UpdateSecret / UpdateConfig (no docker CLI command sends them; the API does): secrets and configs
 * are immutable but for their labels. moby/swarmkit:manager/controlapi/{secret,config}.go (UpdateSecret, UpdateConfig).
 */
export function updateObject(
  s: State,
  kind: 'secret' | 'config',
  ref: string,
  spec: { name: string; sizeBytes: number; labels: Record<string, string> },
): StepResult {
  const list = kind === 'secret' ? s.secrets : s.configs;
  const obj = resolveRef(list, ref, objectName);
  if (typeof obj === 'number') return { ok: false, error: unresolved(kind, ref, obj) };
  if (spec.name !== obj.name || spec.sizeBytes !== obj.sizeBytes)
    return { ok: false, error: 'only updates to Labels are allowed' };
  const next = list.map((x) => (x === obj ? { ...x, labels: spec.labels } : x));
  return { ok: true, state: kind === 'secret' ? { ...s, secrets: next } : { ...s, configs: next } };
}

export function objectCommand(s: State, c: UserCommand): StepResult {
  const seq = s.seq + 1;
  switch (c.kind) {
    case 'secret.create':
    case 'config.create': {
      const kind = c.kind === 'secret.create' ? 'secret' : 'config';
      const e = validateObjectName(c.name);
      if (e) return { ok: false, error: e };
      const max = kind === 'secret' ? MAX_SECRET : MAX_CONFIG;
      // moby/swarmkit:api/validation/secrets.go (ValidateSecretPayload), controlapi/config.go (validateConfigSpec).
      if (c.sizeBytes < 1 || c.sizeBytes >= max)
        return { ok: false, error: `${kind} data must be larger than 0 and less than ${max} bytes` };
      const list = kind === 'secret' ? s.secrets : s.configs;
      // The store indexes names lowercased (moby/swarmkit:manager/state/store/{secrets,configs}.go):
      // a name differing only in case is taken too.
      if (list.some((x) => x.name.toLowerCase() === c.name.toLowerCase()))
        return { ok: false, error: `${kind} ${c.name} already exists` };
      const obj = { id: `${kind[0]}${seq}`, name: c.name, sizeBytes: c.sizeBytes, labels: c.labels };
      return {
        ok: true,
        state:
          kind === 'secret'
            ? { ...s, seq, secrets: [...s.secrets, obj] }
            : { ...s, seq, configs: [...s.configs, obj] },
      };
    }
    case 'secret.rm':
    case 'config.rm': {
      const kind = c.kind === 'secret.rm' ? 'secret' : 'config';
      const list = kind === 'secret' ? s.secrets : s.configs;
      const obj = resolveRef(list, c.name, objectName);
      if (typeof obj === 'number') return { ok: false, error: unresolved(kind, c.name, obj) };
      // moby/swarmkit:manager/controlapi/secret.go (RemoveSecret): refused while a service references it.
      const users = s.services.filter((svc) =>
        (kind === 'secret' ? svc.spec.task.secrets : svc.spec.task.configs).some((r) => r.name === obj.name),
      );
      if (users.length > 0)
        return {
          ok: false,
          error: `${kind} '${obj.name}' is in use by the following service${users.length > 1 ? 's' : ''}: ${users.map((u) => u.spec.name).join(', ')}`,
        };
      const rest = list.filter((x) => x !== obj);
      return { ok: true, state: kind === 'secret' ? { ...s, secrets: rest } : { ...s, configs: rest } };
    }
    case 'network.create': {
      // In the order docker checks them: the API router refuses a swarm network of the same name
      // (moby/moby:daemon/server/router/network/network_routes.go (postNetworkCreate), libnetwork/error.go
      // (NetworkNameError)); the daemon, a predefined or empty name (daemon/network.go (createNetwork),
      // libnetwork/controller.go (NewNetwork)); then SwarmKit (moby/swarmkit:manager/controlapi/network.go
      // (validateNetworkSpec, CreateNetwork)), whose names are DNS names like services', and whose store
      // refuses a name that differs only in case (manager/state/store/networks.go (CreateNetwork)).
      if (s.networks.some((n) => n.name === c.name))
        return { ok: false, error: `network with name ${c.name} already exists` };
      if (PREDEFINED_NETWORKS.includes(c.name))
        return { ok: false, error: `operation is not permitted on predefined ${c.name} network ` };
      if (c.name.trim() === '') return { ok: false, error: 'invalid name: name is empty' };
      if (c.attachable && c.ingress) return { ok: false, error: 'ingress network cannot be attachable' };
      const e = validateName(c.name);
      if (e) return { ok: false, error: e };
      const ingress = s.networks.find((n) => n.ingress);
      if (c.ingress && ingress)
        return { ok: false, error: `ingress network (${ingress.id}) is already present` };
      if (s.networks.some((n) => n.name.toLowerCase() === c.name.toLowerCase()))
        return { ok: false, error: 'name conflicts with an existing object' };
      return {
        ok: true,
        state: {
          ...s,
          seq,
          networks: [
            ...s.networks,
            { id: `w${seq}`, name: c.name, driver: c.driver, attachable: c.attachable, ingress: c.ingress },
          ],
        },
      };
    }
    default:
      return { ok: false, error: `not an object command: ${c.kind}` };
  }
}
