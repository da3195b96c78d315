/**
 * Routing for the `orchestrator` actor: the replicated and global orchestrators' reconciles, the
 * global orchestrator's no-restart shutdown, and the constraint enforcer (which SwarmKit keeps under
 * manager/orchestrator/ as well). Each reacts to an event flag set by a store change (model/tx.ts,
 * model/controlapi/, model/dispatcher.ts), as SwarmKit's components react to their watch queues.
 */
import { type Action, type ActionList, Interned } from '../actions.ts';
import type { State } from '../state.ts';
import { Tx } from '../tx.ts';
import { enforce } from './constraintEnforcer.ts';
import { reconcileGlobal, reconcileNode } from './global.ts';
import { reconcileReplicated } from './replicated.ts';
import { restartDecision } from './restart.ts';

const RECONCILE_SERVICE = new Interned((service) => ({
  actor: 'orchestrator',
  kind: 'reconcile-service',
  service,
}));
const RECONCILE_NODE = new Interned((node) => ({ actor: 'orchestrator', kind: 'reconcile-node', node }));
const ENFORCE = new Interned((node) => ({ actor: 'orchestrator', kind: 'enforce', node }));

// The interned actions of the service and of the node at each position, found in the interning maps
// only when the id at that position changes (the lists only append and delete): most steps flag the
// same few services and nodes again, and a map lookup per flag was a good part of this function.
const serviceIdsAt: string[] = [];
const reconcileServiceAt: Action[] = [];
const nodeIdsAt: string[] = [];
const reconcileNodeAt: Action[] = [];
const enforceAt: Action[] = [];

export function orchestratorEnabled(s: State, out: ActionList): void {
  const services = s.services;
  for (let i = 0; i < services.length; i++) {
    const svc = services[i];
    if (!svc.reconcile) continue;
    if (serviceIdsAt[i] !== svc.id) {
      serviceIdsAt[i] = svc.id;
      reconcileServiceAt[i] = RECONCILE_SERVICE.of(svc.id);
    }
    out.push(reconcileServiceAt[i]);
  }
  const nodes = s.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const p = n.pending;
    if (!p.globalReconcile && !p.enforce) continue;
    if (nodeIdsAt[i] !== n.id) {
      nodeIdsAt[i] = n.id;
      reconcileNodeAt[i] = RECONCILE_NODE.of(n.id);
      enforceAt[i] = ENFORCE.of(n.id);
    }
    if (p.globalReconcile) out.push(reconcileNodeAt[i]);
    if (p.enforce) out.push(enforceAt[i]);
  }
  // shutdown-task actions are listed by restartEnabled (model/orchestrator/restart.ts), which evaluates
  // the same trigger predicate.
}

export function orchestratorStep(s: State, a: Action & { actor: 'orchestrator' }): State | string {
  const tx = new Tx(s);
  switch (a.kind) {
    case 'reconcile-service': {
      const svc = tx.service(a.service);
      if (!svc?.reconcile) return `service ${a.service} has nothing to reconcile`;
      tx.updateService(svc.id, { reconcile: false });
      const cur = tx.service(svc.id)!;
      if (cur.spec.mode === 'global') reconcileGlobal(tx, cur);
      else reconcileReplicated(tx, cur);
      return tx.commit();
    }
    case 'reconcile-node': {
      const n = tx.node(a.node);
      if (!n?.pending.globalReconcile) return `node ${a.node} has nothing to reconcile`;
      // Both flags written out (not a spread): one object shape for every node's flags keeps the
      // reads in orchestratorEnabled monomorphic.
      const cur = tx.updateNode(n.id, {
        pending: { globalReconcile: false, enforce: n.pending.enforce },
      });
      reconcileNode(tx, cur);
      return tx.commit();
    }
    case 'enforce': {
      const n = tx.node(a.node);
      if (!n?.pending.enforce) return `node ${a.node} has nothing to enforce`;
      const cur = tx.updateNode(n.id, {
        pending: { globalReconcile: n.pending.globalReconcile, enforce: false },
      });
      enforce(tx, cur);
      return tx.commit();
    }
    case 'shutdown-task': {
      const t = tx.task(a.task);
      if (!t || restartDecision(s, t) !== 'shutdown') return `task ${a.task} is not to be shut down`;
      // global.go (tickTasks): paused node or constraints no longer met → desired SHUTDOWN, no restart.
      tx.raiseDesired(t.id, 'shutdown');
      return tx.commit();
    }
  }
}
