/**
 * What users hand to Swarm: service, node and secret specs, and the docker commands that carry them.
 *
 * This file is the contract between the scenario language (scenario/, which parses docker CLI lines
 * into these values) and the model (model/, whose control API validates and applies them). It holds
 * data only; every rule about these values lives in the component that enforces it.
 *
 * Durations are integer milliseconds. Resources are integer nano-CPUs and bytes, as SwarmKit stores
 * them (moby/swarmkit:api/types.proto (Resources)).
 */

export type ServiceMode = 'replicated' | 'global';
export type RestartCondition = 'none' | 'on-failure' | 'any';
export type FailureAction = 'pause' | 'continue' | 'rollback';
export type UpdateOrder = 'stop-first' | 'start-first';
export type PublishMode = 'ingress' | 'host';
export type Protocol = 'tcp' | 'udp' | 'sctp';
export type EndpointMode = 'vip' | 'dnsrr';
export type Availability = 'active' | 'pause' | 'drain';
export type Role = 'worker' | 'manager';

export interface RestartPolicy {
  condition: RestartCondition;
  delayMs: number;
  /** 0 = unlimited. */
  maxAttempts: number;
  /** 0 = unbounded. */
  windowMs: number;
}

export interface UpdateConfig {
  /** 0 = all dirty slots at once. */
  parallelism: number;
  delayMs: number;
  failureAction: FailureAction;
  monitorMs: number;
  maxFailureRatio: number;
  order: UpdateOrder;
}

export interface PortConfig {
  protocol: Protocol;
  targetPort: number;
  /** 0 = let the allocator pick (ingress: 30000–32767). */
  publishedPort: number;
  mode: PublishMode;
}

export interface Placement {
  /** Raw `key==value` / `key!=value` expressions, validated by the control API. */
  constraints: string[];
  /** `spread=<descriptor>` descriptors, in hierarchy order (the descriptor only). */
  preferences: string[];
  /** 0 = no limit. */
  maxReplicas: number;
}

export interface Reservations {
  nanoCpus: number;
  memoryBytes: number;
}

export interface SecretRef {
  name: string;
  /** File name under /run/secrets (secrets) or absolute path (configs); defaults to the name. */
  target: string;
}

/** The parts of a service spec that are copied into each task (a change makes tasks dirty). */
export interface TaskSpec {
  image: string;
  command: string[];
  placement: Placement;
  reservations: Reservations;
  restart: RestartPolicy;
  secrets: SecretRef[];
  configs: SecretRef[];
  networks: string[];
  /** Incremented by `docker service update --force` (moby/swarmkit:api/specs.proto (TaskSpec.ForceUpdate)). */
  forceUpdate: number;
}

export interface EndpointSpec {
  mode: EndpointMode;
  ports: PortConfig[];
}

export interface ServiceSpec {
  name: string;
  mode: ServiceMode;
  /** Replicated only; absent (undefined) for global services. */
  replicas?: number;
  labels: Record<string, string>;
  task: TaskSpec;
  endpoint: EndpointSpec;
  update: UpdateConfig;
  rollback: UpdateConfig;
}

/** What `docker swarm init` / `docker swarm join` tell the model about a machine. */
export interface NodeDescription {
  hostname: string;
  role: Role;
  availability: Availability;
  labels: Record<string, string>;
  engineLabels: Record<string, string>;
  nanoCpus: number;
  memoryBytes: number;
  os: string;
  arch: string;
}

/** A partial update, as `docker service update` flags describe it: only what the user named. */
export interface ServiceUpdate {
  image?: string;
  replicas?: number;
  force?: boolean;
  constraintAdd?: string[];
  constraintRm?: string[];
  labelAdd?: Record<string, string>;
  publishAdd?: PortConfig[];
  /**
   * Ports to remove, parsed like --publish: docker matches them by target port, protocol and publish
   * mode, never by published port (docker/cli:cli/command/service/update.go (updatePorts)).
   */
  publishRm?: PortConfig[];
  secretAdd?: SecretRef[];
  secretRm?: string[];
  configAdd?: SecretRef[];
  configRm?: string[];
  restart?: Partial<RestartPolicy>;
  update?: Partial<UpdateConfig>;
  rollback?: Partial<UpdateConfig>;
  reservations?: Partial<Reservations>;
  replicasMaxPerNode?: number;
  /** `docker service update --rollback`. */
  rollbackRequest?: boolean;
}

/**
 * A user command, as the docker CLI would send it to the swarm. Node and service references are
 * names as the user typed them (hostname or service name); the control API resolves them.
 */
export type UserCommand =
  | { kind: 'swarm.init'; node: NodeDescription; forceNewCluster?: boolean }
  | { kind: 'swarm.join'; node: NodeDescription }
  | { kind: 'swarm.leave'; node: string; force: boolean }
  | {
      kind: 'node.update';
      node: string;
      availability?: Availability;
      labelAdd?: Record<string, string>;
      labelRm?: string[];
    }
  | { kind: 'node.promote'; node: string }
  | { kind: 'node.demote'; node: string }
  | { kind: 'node.rm'; node: string; force: boolean }
  | { kind: 'node.ls' }
  | { kind: 'service.create'; spec: ServiceSpec }
  | { kind: 'service.update'; service: string; update: ServiceUpdate }
  | { kind: 'service.scale'; scales: { service: string; replicas: number }[] }
  | { kind: 'service.rollback'; service: string }
  | { kind: 'service.rm'; service: string }
  | { kind: 'service.ps'; service: string }
  | { kind: 'service.ls' }
  | { kind: 'secret.create'; name: string; sizeBytes: number; labels: Record<string, string> }
  | { kind: 'secret.rm'; name: string }
  | { kind: 'config.create'; name: string; sizeBytes: number; labels: Record<string, string> }
  | { kind: 'config.rm'; name: string }
  | { kind: 'network.create'; name: string; driver: 'overlay'; attachable: boolean; ingress: boolean };
