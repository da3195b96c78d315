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

export function orchestratorEnabled(s: State, out: ActionList): void {
  for (const svc of s.services) if (svc.reconcile) out.push(RECONCILE_SERVICE.of(svc.id));
  for (const n of s.nodes) {
    if (n.pending.globalReconcile) out.push(RECONCILE_NODE.of(n.id));
    if (n.pending.enforce) out.push(ENFORCE.of(n.id));
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
      const cur = tx.updateNode(n.id, { pending: { ...n.pending, globalReconcile: false } });
      reconcileNode(tx, cur);
      return tx.commit();
    }
    case 'enforce': {
      const n = tx.node(a.node);
      if (!n?.pending.enforce) return `node ${a.node} has nothing to enforce`;
      const cur = tx.updateNode(n.id, { pending: { ...n.pending, enforce: false } });
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
