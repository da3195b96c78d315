/**
 * Service commands: moby/swarmkit:manager/controlapi/service.go (CreateService, UpdateService,
 * RemoveService, validateServiceSpec, validateNetworks, checkPortConflicts), plus the docker CLI's
 * own refusals and name resolution that come before SwarmKit (docker/cli:cli/command/service/{opts,parse,update,scale}.go).
 * Error texts are SwarmKit's / the CLI's.
 */
import type { StepResult } from '../actions.ts';
import { allocateServicePorts } from '../allocator.ts';
import { resolveRef, serviceName } from '../lookup.ts';
import { parseConstraints } from '../scheduler/constraint.ts';
import type { PortConfig, SecretRef, ServiceSpec, ServiceUpdate, UserCommand } from '../spec.ts';
import type { Service, State } from '../state.ts';
import { Tx } from '../tx.ts';
import { resolveService, validateName } from './common.ts';

/**
 * Go's %g for the CPU counts validateResources prints: shortest digits; exponent form when the
 * decimal exponent is below -4 or at least 6 (golang/go:src/strconv/ftoa.go (formatDigits): "if
 * precision was the shortest possible, use precision 6 for this decision"), with a sign and at least
 * two exponent digits (Go: 5e-05 and -1e+06; JavaScript: 0.00005 and -1000000).
 */
function formatG(x: number): string {
  const [mantissa, e] = x.toExponential().split('e');
  const exp = Number(e);
  if (exp >= -4 && exp < 6) return String(x);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** moby/swarmkit:manager/controlapi/service.go (validateServiceSpec), in its order. */
export function validateServiceSpec(spec: ServiceSpec): string | null {
  const nameErr = validateName(spec.name);
  if (nameErr) return nameErr;
  const t = spec.task;
  // validateResources (reservations; limits are not in the model's spec).
  const r = t.reservations;
  if (r.nanoCpus !== 0 && r.nanoCpus < 1e6)
    return `invalid cpu value ${formatG(r.nanoCpus / 1e9)}: Must be at least 0.001`;
  if (r.memoryBytes !== 0 && r.memoryBytes < 4 * 1024 * 1024)
    return `invalid memory value ${r.memoryBytes}: Must be at least 4MiB`;
  // validateRestartPolicy
  if (t.restart.delayMs < 0) return 'TaskSpec: restart-delay cannot be negative';
  if (t.restart.windowMs < 0) return 'TaskSpec: restart-window cannot be negative';
  // validatePlacement: constraints must parse (preferences are not validated server-side).
  const cs = parseConstraints(t.placement.constraints);
  if (typeof cs === 'string') return cs;
  // validateSecretRefsSpec: targets must not collide.
  const targets = new Map<string, string>();
  for (const ref of t.secrets) {
    const prev = targets.get(ref.target);
    if (prev !== undefined)
      return `secret references '${prev}' and '${ref.name}' have a conflicting target: '${ref.target}'`;
    targets.set(ref.target, ref.name);
  }
  // validateConfigRefsSpec: the same, separately for configs.
  const configTargets = new Map<string, string>();
  for (const ref of t.configs) {
    const prev = configTargets.get(ref.target);
    if (prev !== undefined)
      return `config references '${prev}' and '${ref.name}' have a conflicting target: '${ref.target}'`;
    configTargets.set(ref.target, ref.name);
  }
  // validateContainerSpec
  if (t.image === '') return 'ContainerSpec: image reference must be provided';
  // validateMode
  if (spec.mode === 'replicated' && (spec.replicas ?? 0) < 0)
    return 'Number of replicas must be non-negative';
  // validateUpdate
  const u = spec.update;
  if (u.delayMs < 0) return 'TaskSpec: update-delay cannot be negative';
  if (u.monitorMs < 0) return 'TaskSpec: update-monitor cannot be negative';
  if (u.maxFailureRatio < 0 || u.maxFailureRatio > 1)
    return 'TaskSpec: update-maxfailureratio cannot be less than 0 or bigger than 1';
  // validateEndpointSpec
  const seen = new Set<string>();
  for (const p of spec.endpoint.ports) {
    if (spec.endpoint.mode === 'dnsrr' && p.mode === 'ingress')
      return "EndpointSpec: port published with ingress mode can't be used with dnsrr mode";
    if (p.publishedPort === 0) continue;
    const k = `${p.protocol}/${p.publishedPort}`;
    if (seen.has(k)) return 'EndpointSpec: duplicate published ports provided';
    seen.add(k);
  }
  return null;
}

/**
 * moby/swarmkit:manager/controlapi/service.go (checkPortConflicts): a published ingress port used by
 * any other service (ingress or host) is refused; a host-mode port only if another service uses it
 * as ingress; host vs host is left to the scheduler.
 */
export function checkPortConflicts(s: State, spec: ServiceSpec, selfId: string): string | null {
  const ingress = new Set<string>();
  const host = new Set<string>();
  for (const p of spec.endpoint.ports) {
    if (p.publishedPort === 0) continue;
    (p.mode === 'ingress' ? ingress : host).add(`${p.protocol}/${p.publishedPort}`);
  }
  if (ingress.size === 0 && host.size === 0) return null;
  const inUse = (pc: PortConfig, svc: Service): string | null => {
    if (pc.publishedPort === 0) return null;
    const k = `${pc.protocol}/${pc.publishedPort}`;
    if (pc.mode === 'host')
      return ingress.has(k)
        ? `port '${pc.publishedPort}' is already in use by service '${svc.spec.name}' (${svc.id}) as a host-published port`
        : null;
    return ingress.has(k) || host.has(k)
      ? `port '${pc.publishedPort}' is already in use by service '${svc.spec.name}' (${svc.id}) as an ingress port`
      : null;
  };
  for (const svc of s.services) {
    if (svc.id === selfId) continue;
    for (const pc of svc.spec.endpoint.ports) {
      const e = inUse(pc, svc);
      if (e) return e;
    }
    for (const pc of svc.ports) {
      const e = inUse(pc, svc);
      if (e) return e;
    }
  }
  return null;
}

/**
 * What the docker CLI resolves before it sends a spec, so these refusals come before any of SwarmKit's:
 * networks by name or ID (docker/cli:cli/command/service/opts.go (ToService, resolveNetworkID); the
 * daemon answers "network X not found"), then secrets and then configs (cli/command/service/parse.go
 * (ParseSecrets, ParseConfigs)): a target named twice, then a name with no object. The CLI walks a Go
 * map there, so which missing name it reports is arbitrary; the model reports the first. SwarmKit's own
 * existence checks (service.go (checkSecretExistence)) are never reached through the CLI.
 */
function cliResolve(
  s: State,
  networks: readonly string[],
  secrets: readonly SecretRef[],
  configs: readonly SecretRef[],
): string | null {
  for (const ref of networks)
    if (!s.networks.some((x) => x.id === ref || x.name === ref)) return `network ${ref} not found`;
  for (const [kind, refs, list] of [
    ['secret', secrets, s.secrets],
    ['config', configs, s.configs],
  ] as const) {
    const targets = new Set<string>();
    for (const r of refs) {
      if (targets.has(r.target)) return `duplicate ${kind} target for ${r.name} not allowed`;
      targets.add(r.target);
    }
    const missing = refs.find((r) => !list.some((o) => o.name === r.name));
    if (missing) return `${kind} not found: ${missing.name}`;
  }
  return null;
}

/** moby/swarmkit:manager/controlapi/service.go (validateNetworks): no explicit attachment to ingress. */
function validateNetworks(s: State, spec: ServiceSpec): string | null {
  for (const ref of spec.task.networks) {
    const w = s.networks.find((x) => x.id === ref || x.name === ref);
    if (w?.ingress) return `Service cannot be explicitly attached to the ingress network "${w.name}"`;
  }
  return null;
}

// docker/cli:cli/command/service/opts.go (ToServiceMode). Older CLIs said "... with replicated mode";
// the current CLI names the job mode too.
export const REPLICAS_GLOBAL_ERROR = 'replicas can only be used with replicated or replicated-job mode';
export const MAX_PER_NODE_GLOBAL_ERROR =
  'replicas-max-per-node can only be used with replicated or replicated-job mode';
// docker/cli:cli/command/service/update.go (updateReplicas): `service update` keeps the older text.
export const REPLICAS_UPDATE_GLOBAL_ERROR = 'replicas can only be used with replicated mode';
// docker/cli:cli/command/service/scale.go (runServiceScale), prefixed with the service name.
export const SCALE_GLOBAL_ERROR = 'scale can only be used with replicated or replicated-job mode';

function cliChecks(spec: ServiceSpec): string | null {
  if (spec.mode === 'global' && spec.replicas !== undefined) return REPLICAS_GLOBAL_ERROR;
  if (spec.mode === 'global' && spec.task.placement.maxReplicas > 0) return MAX_PER_NODE_GLOBAL_ERROR;
  return null;
}

export function createService(s: State, spec: ServiceSpec): StepResult {
  const e =
    cliChecks(spec) ??
    cliResolve(s, spec.task.networks, spec.task.secrets, spec.task.configs) ??
    validateServiceSpec(spec) ??
    validateNetworks(s, spec) ??
    checkPortConflicts(s, spec, '') ??
    // Names are unique case-insensitively: the store indexes them lowercased
    // (moby/swarmkit:manager/state/store/services.go, memory.go (ErrNameConflict)).
    (s.services.some((x) => x.spec.name.toLowerCase() === spec.name.toLowerCase())
      ? `name conflicts with an existing object: service ${spec.name} already exists`
      : null);
  if (e) return { ok: false, error: e };
  const tx = new Tx(s);
  const id = tx.newId('s');
  const svc: Service = {
    id,
    spec,
    version: 0,
    previousSpec: null,
    previousVersion: 0,
    ports: allocateServicePorts(tx, id, null, spec.endpoint.ports),
    createdAt: s.now,
    updateStatus: null,
    reconcile: true,
  };
  tx.addService(svc);
  return { ok: true, state: tx.commit(), note: `service ${spec.name} created (${id})` };
}

/**
 * --publish-rm / --publish-add as the CLI merges them (docker/cli:cli/command/service/update.go
 * (updatePorts)): the current ports, deduplicated, lose every port whose target, protocol and mode
 * match a --publish-rm entry (so `--publish-rm 8080` removes target port 8080, not a port published on
 * 8080); an added port identical to a current one is skipped; the list is sorted by
 * "published:target/protocol/mode" as text.
 */
function updatePorts(current: readonly PortConfig[], u: ServiceUpdate): PortConfig[] {
  const key = (p: PortConfig) => `${p.publishedPort}:${p.targetPort}/${p.protocol}/${p.mode}`;
  const set = new Map<string, PortConfig>();
  for (const p of current) if (!set.has(key(p))) set.set(key(p), p);
  const rm = u.publishRm ?? [];
  const out = [...set.values()].filter(
    (p) => !rm.some((r) => r.protocol === p.protocol && r.targetPort === p.targetPort && r.mode === p.mode),
  );
  for (const p of u.publishAdd ?? []) if (!set.has(key(p))) out.push(p);
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Apply `docker service update` flags to a spec, as the CLI does before calling UpdateService. */
export function applyUpdate(spec: ServiceSpec, u: ServiceUpdate): ServiceSpec | string {
  if (u.replicas !== undefined && spec.mode !== 'replicated') return REPLICAS_UPDATE_GLOBAL_ERROR;
  // --replicas-max-per-node is applied whatever the mode (docker/cli:cli/command/service/update.go
  // (updateService)); only `service create` refuses it for a global service (opts.go (ToServiceMode)).
  const task = { ...spec.task };
  if (u.image !== undefined) task.image = u.image;
  if (u.force) task.forceUpdate = task.forceUpdate + 1;
  if (u.constraintAdd || u.constraintRm || u.replicasMaxPerNode !== undefined) {
    // docker/cli:cli/command/service/update.go (updatePlacementConstraints): append the additions
    // (a constraint already there is added again), then drop every entry named by --constraint-rm
    // (so add and rm of the same constraint removes it), then sort.
    const rm = new Set(u.constraintRm ?? []);
    const constraints = [...task.placement.constraints, ...(u.constraintAdd ?? [])]
      .filter((c) => !rm.has(c))
      .sort();
    task.placement = {
      ...task.placement,
      constraints,
      maxReplicas: u.replicasMaxPerNode ?? task.placement.maxReplicas,
    };
  }
  if (u.secretAdd || u.secretRm) {
    const rm = new Set(u.secretRm ?? []);
    task.secrets = [...task.secrets.filter((r) => !rm.has(r.name)), ...(u.secretAdd ?? [])];
  }
  if (u.configAdd || u.configRm) {
    const rm = new Set(u.configRm ?? []);
    task.configs = [...task.configs.filter((r) => !rm.has(r.name)), ...(u.configAdd ?? [])];
  }
  if (u.restart) task.restart = { ...task.restart, ...u.restart };
  if (u.reservations) task.reservations = { ...task.reservations, ...u.reservations };
  let endpoint = spec.endpoint;
  if (u.publishAdd || u.publishRm) endpoint = { ...endpoint, ports: updatePorts(endpoint.ports, u) };
  return {
    ...spec,
    replicas: u.replicas ?? spec.replicas,
    labels: u.labelAdd ? { ...spec.labels, ...u.labelAdd } : spec.labels,
    task,
    endpoint,
    update: u.update ? { ...spec.update, ...u.update } : spec.update,
    rollback: u.rollback ? { ...spec.rollback, ...u.rollback } : spec.rollback,
  };
}

/**
 * moby/swarmkit:manager/controlapi/service.go (UpdateService). A normal update sets PreviousSpec to the
 * old spec, bumps SpecVersion and clears UpdateStatus; a rollback swaps Spec and PreviousSpec and sets
 * ROLLBACK_STARTED ("manually requested rollback"). Mode changes and renames are refused.
 * Either write is a service event: the orchestrator reconciles and hands the slots to the updater.
 */
export function updateServiceSpec(s: State, ref: string, next: ServiceSpec | null): StepResult {
  const svc = resolveService(s, ref);
  if (typeof svc === 'string') return { ok: false, error: svc };
  if (next === null) {
    if (!svc.previousSpec) return { ok: false, error: `service ${svc.id} does not have a previous spec` };
    const tx = new Tx(s);
    tx.updateService(svc.id, {
      spec: svc.previousSpec,
      version: svc.previousVersion,
      previousSpec: svc.spec,
      previousVersion: svc.version,
      ports: allocateServicePorts(tx, svc.id, svc.ports, svc.previousSpec.endpoint.ports),
      updateStatus: { state: 'rollback_started', message: 'manually requested rollback' },
      reconcile: true,
    });
    return { ok: true, state: tx.commit() };
  }
  const e =
    validateServiceSpec(next) ??
    validateNetworks(s, next) ??
    (JSON.stringify(next.endpoint) !== JSON.stringify(svc.spec.endpoint)
      ? checkPortConflicts(s, next, svc.id)
      : null) ??
    (next.mode !== svc.spec.mode ? 'service mode change is not allowed' : null) ??
    (next.name !== svc.spec.name ? 'renaming services is not supported' : null);
  if (e) return { ok: false, error: e };
  const tx = new Tx(s);
  const version = nextSpecVersion(s, svc);
  tx.updateService(svc.id, {
    spec: next,
    version,
    previousSpec: svc.spec,
    previousVersion: svc.version,
    ports: allocateServicePorts(tx, svc.id, svc.ports, next.endpoint.ports),
    updateStatus: null,
    reconcile: true,
  });
  return { ok: true, state: tx.commit() };
}

/**
 * SpecVersion ← the service object's store version before this write, a Raft index that never
 * repeats. The model counts instead, so it must not hand out a version that a spec it replaced
 * already had: after a rollback (SpecVersion ← PreviousSpecVersion, PreviousSpec cleared by the
 * updater) the rolled-back spec's tasks still carry theirs, and a task whose version equals the
 * service's is taken to be clean without looking (orchestrator/task.go (IsTaskDirty)).
 */
export function nextSpecVersion(s: State, svc: Service): number {
  let v = Math.max(svc.version, svc.previousVersion);
  for (const t of s.tasks) if (t.serviceId === svc.id && t.specVersion > v) v = t.specVersion;
  for (const u of s.updaters) if (u.serviceId === svc.id && u.version > v) v = u.version;
  return v + 1;
}

/**
 * `docker service rm`: the service object is deleted at once (controlapi/service.go (RemoveService));
 * the orchestrators' reaction (orchestrator/service.go (SetServiceTasksRemove): every task desired
 * REMOVE, restart history cleared) is folded into the same step.
 */
export function removeService(s: State, ref: string): StepResult {
  const svc = resolveService(s, ref);
  if (typeof svc === 'string') return { ok: false, error: svc };
  const tx = new Tx(s);
  tx.deleteService(svc.id);
  // The service's updater can do nothing more (its writes find no service); the leader forgets it.
  if (s.updaters.some((u) => u.serviceId === svc.id))
    tx.patch.updaters = s.updaters.filter((u) => u.serviceId !== svc.id);
  for (const t of s.tasks) if (t.serviceId === svc.id) tx.raiseDesired(t.id, 'remove');
  tx.setHistory(tx.restartHistory.filter((h) => !h.key.startsWith(`${svc.id}/`)));
  return { ok: true, state: tx.commit() };
}

export function serviceCommand(s: State, c: UserCommand): StepResult {
  switch (c.kind) {
    case 'service.create':
      return createService(s, c.spec);
    case 'service.update': {
      const svc = resolveService(s, c.service);
      if (typeof svc === 'string') return { ok: false, error: svc };
      if (c.update.rollbackRequest) return updateServiceSpec(s, c.service, null);
      const next = applyUpdate(svc.spec, c.update);
      if (typeof next === 'string') return { ok: false, error: next };
      // docker/cli:cli/command/service/update.go (getUpdatedSecrets, getUpdatedConfigs): only the
      // added references are resolved.
      const e = cliResolve(s, [], c.update.secretAdd ?? [], c.update.configAdd ?? []);
      if (e) return { ok: false, error: e };
      return updateServiceSpec(s, c.service, next);
    }
    case 'service.scale': {
      // docker/cli:cli/command/service/scale.go (runServiceScale): every service is scaled in turn,
      // errors are collected as "<service>: <error>" and joined. Some succeeded → ok with the errors
      // as a note; none → the joined error.
      let cur = s;
      const errs: string[] = [];
      let applied = 0;
      for (const { service, replicas } of c.scales) {
        const svc = resolveService(cur, service);
        if (typeof svc === 'string') {
          errs.push(`${service}: ${svc}`);
          continue;
        }
        if (svc.spec.mode !== 'replicated') {
          errs.push(`${service}: ${SCALE_GLOBAL_ERROR}`);
          continue;
        }
        const r = updateServiceSpec(cur, service, { ...svc.spec, replicas });
        if (!r.ok) {
          errs.push(`${service}: ${r.error}`);
          continue;
        }
        cur = r.state;
        applied++;
      }
      if (errs.length === 0) return { ok: true, state: cur };
      if (applied === 0) return { ok: false, error: errs.join('\n') };
      return { ok: true, state: cur, note: errs.join('\n') };
    }
    case 'service.rollback':
      return updateServiceSpec(s, c.service, null);
    case 'service.rm':
      return removeService(s, c.service);
    case 'service.ls':
      return { ok: true, state: s };
    case 'service.ps': {
      // The CLI resolves these itself, in the daemon's order but in its own words
      // (docker/cli:cli/command/service/ps.go (createFilter)).
      const r = resolveRef(s.services, c.service, serviceName);
      if (typeof r !== 'number') return { ok: true, state: s };
      return {
        ok: false,
        error:
          r === 0
            ? `no such service: ${c.service}`
            : `multiple services found with provided prefix: ${c.service}`,
      };
    }
    default:
      return { ok: false, error: `not a service command: ${c.kind}` };
  }
}
