/**
 * The scheduler's filter pipeline: moby/swarmkit:manager/scheduler/pipeline.go (Pipeline, Process,
 * Explain) and filter.go (each Filter's SetTask/Check/Explain), in SwarmKit's order:
 * Ready, Resource, Plugin, Constraint, Platform, HostPort, MaxReplicas.
 *
 * - Plugin: enabled in SwarmKit when the task has networks or a log driver; it passes every node
 *   whose engine reports no plugin list. The model's nodes carry no plugin inventory, so the filter is
 *   present but always passes (stated, not hidden).
 * - Platform: enabled when Placement.Platforms is non-empty; the model's spec has no platform list
 *   (the CLI fills it from the image manifest), so it is never enabled. `node.platform.os/arch`
 *   constraints work through the Constraint filter.
 * - Volumes (CSI) is not modelled.
 *
 * Failure counts reset whenever a node passes (Process), so Explain describes the nodes that failed
 * since the last success, most frequent reason first. Go's sort.Sort on reasons is unstable; ties keep
 * pipeline order here.
 */
import { PLANTED_NET } from '../network.ts';
import type { Task } from '../state.ts';
import { type Constraint, nodeMatches, parseConstraints } from './constraint.ts';
import type { NodeInfo } from './nodeInfo.ts';

type FilterName = 'ready' | 'resource' | 'plugin' | 'constraint' | 'platform' | 'hostport' | 'maxreplicas';
const ORDER: FilterName[] = [
  'ready',
  'resource',
  'plugin',
  'constraint',
  'platform',
  'hostport',
  'maxreplicas',
];

function explainOne(f: FilterName, n: number): string {
  const nodes = n === 1 ? '1 node' : `${n} nodes`;
  switch (f) {
    case 'ready':
      return `${nodes} not available for new tasks`;
    case 'resource':
      return `insufficient resources on ${nodes}`;
    case 'constraint':
      return `scheduling constraints not satisfied on ${nodes}`;
    case 'hostport':
      return `host-mode port already in use on ${nodes}`;
    case 'maxreplicas':
      return 'max replicas per node limit exceed';
  }
  // Plugin ("missing plugin on N nodes") and Platform ("unsupported platform on N nodes") never fail
  // here (see the header), so they never need explaining.
  return '';
}

export class Pipeline {
  private enabled: boolean[] = [];
  private failures: number[] = [0, 0, 0, 0, 0, 0, 0];
  private task!: Task;
  private constraints: Constraint[] = [];
  private hostPorts: string[] = [];

  /** moby/swarmkit:manager/scheduler/pipeline.go (SetTask): which filters apply to this task. */
  setTask(t: Task): void {
    this.task = t;
    const r = t.spec.reservations;
    const cs = t.spec.placement.constraints.length > 0 ? parseConstraints(t.spec.placement.constraints) : [];
    this.constraints = typeof cs === 'string' ? [] : cs;
    this.hostPorts = t.ports
      .filter((p) => p.mode === 'host' && p.publishedPort !== 0)
      .map((p) => `${p.protocol}/${p.publishedPort}`);
    this.enabled = [
      true,
      r.nanoCpus !== 0 || r.memoryBytes !== 0,
      t.spec.networks.length > 0,
      // An unparsable constraint set disables the filter (filter.go (ConstraintFilter.SetTask)).
      this.constraints.length > 0,
      false,
      this.hostPorts.length > 0,
      t.spec.placement.maxReplicas > 0,
    ];
    this.failures = [0, 0, 0, 0, 0, 0, 0];
  }

  private check(i: number, n: NodeInfo): boolean {
    switch (ORDER[i]) {
      case 'ready':
        return n.node.status === 'ready' && n.node.availability === 'active';
      case 'resource': {
        const r = this.task.spec.reservations;
        return r.nanoCpus <= n.availableCpu && r.memoryBytes <= n.availableMem;
      }
      case 'constraint':
        return nodeMatches(this.constraints, n.node);
      case 'hostport':
        if (PLANTED_NET.ignoreHostPorts) return true;
        for (const p of this.hostPorts) if (n.usedHostPorts.has(p)) return false;
        return true;
      case 'maxreplicas':
        return (n.activeByService.get(this.task.serviceId) ?? 0) < this.task.spec.placement.maxReplicas;
      default:
        // Plugin and Platform pass every node in the model (see the header).
        return true;
    }
  }

  /** moby/swarmkit:manager/scheduler/pipeline.go (Process). */
  process(n: NodeInfo): boolean {
    for (let i = 0; i < ORDER.length; i++) {
      if (this.enabled[i] && !this.check(i, n)) {
        this.failures[i]++;
        return false;
      }
    }
    this.failures = [0, 0, 0, 0, 0, 0, 0];
    return true;
  }

  /** moby/swarmkit:manager/scheduler/pipeline.go (Explain). */
  explain(): string {
    const idx = ORDER.map((_, i) => i).filter((i) => this.failures[i] > 0);
    idx.sort((a, b) => this.failures[b] - this.failures[a]);
    return idx.map((i) => explainOne(ORDER[i], this.failures[i])).join('; ');
  }
}
