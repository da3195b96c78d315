/**
 * A canonical, compact encoding of the cluster model's State (plus the exploration's event count and
 * the refinement history) as 32-bit words, for the explorer's fingerprints and frontier.
 *
 * Two states get the same words iff they are equal up to three quotients, each of which no rule of
 * the model can observe (so the quotient is a bisimulation and every check stays exact):
 *  - Time shift. Only differences between times matter to the model (deadlines vs `now`, statusAt
 *    order, restart windows, the 5-minute failure memory), never absolute values: every time is
 *    encoded relative to `now` (deadlines as `t - now`, stamps as `now - t`; -1 "no deadline" is kept
 *    apart). Decoded states have `now = T0`. The state space is finite because faults and user
 *    commands are bounded: without them nothing arms a new timer, so the clock can only move to the
 *    finitely many deadlines that exist (no cap on far deadlines is needed, and none is applied).
 *  - Renaming of service and task IDs. IDs are `s<seq>`/`t<seq>` from one counter; only their
 *    identity and their creation order matter (Task.seq is the creation-order tie-break and equals the
 *    number in the task's ID). They are encoded as ranks (separately for services and tasks, over
 *    every ID the state mentions, also those of deleted tasks and services it still refers to) and
 *    decoded as `s<B+rank>`, `t<B+rank>`, `seq = B + count`.
 *  - Order of restart history entries, reaper dirty keys and the scheduler's failure memory (sets
 *    keyed by instance or by (node, service, spec version); every rule looks them up by key).
 * Specs, port lists, label maps and strings are interned: the first time a reference is seen it is
 * keyed by its JSON (once), then by reference; decoded states share the canonical objects, so the
 * inner loop does not serialise JSON (measured: see the README).
 */
import type { Node, Service, State, Task } from '../model/index.ts';
import type { DelayedStart, RecentFailures, RestartHistory } from '../model/state.ts';
import {
  DESIRED_STATES,
  type DesiredState,
  OBSERVED_STATES,
  type ObservedState,
} from '../model/taskState.ts';
import type { History, TaskHistory } from './projection.ts';

const T0 = 1e12;
const ID_BASE = 1_000_000;
const NONE = -2147483648; // "no deadline" (-1) and absent optional values

const ROLES = ['worker', 'manager'] as const;
const AVAIL = ['active', 'pause', 'drain'] as const;
const STATUS = ['unknown', 'down', 'ready', 'disconnected'] as const;

export interface ProductState {
  s: State;
  /** Faults and user commands taken so far (bounded by --max-events). */
  events: number;
  /** The refinement history after `s` (null when refinement is not checked). */
  h: History | null;
}

class Interner<T> {
  readonly values: T[] = [];
  private readonly byRef = new WeakMap<object, number>();
  private readonly byKey = new Map<string, number>();
  id(v: T): number {
    if (v === null || v === undefined) return 0;
    if (typeof v === 'object') {
      const r = this.byRef.get(v as object);
      if (r !== undefined) return r;
    }
    const key = typeof v === 'string' ? `s${v}` : JSON.stringify(v);
    let i = this.byKey.get(key);
    if (i === undefined) {
      this.values.push(v);
      i = this.values.length;
      this.byKey.set(key, i);
    }
    if (typeof v === 'object') this.byRef.set(v as object, i);
    return i;
  }
  get(i: number): T {
    return (i === 0 ? null : this.values[i - 1]) as T;
  }
}

const num = (id: string): number => Number(id.slice(1));

export class StateCodec {
  private readonly objs = new Interner<unknown>();
  private readonly strs = new Interner<string>();
  private readonly sn: number[] = [];
  private readonly tn: number[] = [];
  /** Static node fields by node id, from the first node object seen. */
  private readonly nodeBase = new Map<string, Node>();

  encode(ps: ProductState, out: Int32Array): number {
    const s = ps.s;
    const now = s.now;
    let w = 0;
    // ID ranks.
    const sn = this.sn;
    const tn = this.tn;
    sn.length = 0;
    tn.length = 0;
    for (const x of s.services) sn.push(num(x.id));
    for (const t of s.tasks) {
      sn.push(num(t.serviceId));
      tn.push(t.seq);
      if (t.delayed && t.delayed.oldTaskId !== '') tn.push(num(t.delayed.oldTaskId));
    }
    for (const r of s.restartHistory) sn.push(num(keySvc(r.key)));
    for (const k of s.reaperDirty) sn.push(num(keySvc(k)));
    // The failure memory outlives a deleted service (its entries age out): its ids are ranked too.
    for (const f of s.schedulerFailures) sn.push(num(f.serviceId));
    if (ps.h) for (const id of ps.h.svc.keys()) sn.push(num(id));
    const nS = sortUnique(sn);
    const nT = sortUnique(tn);

    out[w++] = ps.events;
    out[w++] = (s.initialized ? 1 : 0) | (s.schedulerPending ? 2 : 0) | (s.reaperPending ? 4 : 0);
    out[w++] = this.strs.id(s.raft.leader);
    out[w++] = s.raft.term;
    out[w++] = this.objs.id(s.raft.voters);
    out[w++] = s.taskHistoryLimit;
    out[w++] = s.heartbeatPeriodMs;
    out[w++] = this.objs.id(s.secrets);
    out[w++] = this.objs.id(s.configs);
    out[w++] = this.objs.id(s.networks);
    // Leader memory added with the rolling updater, and what each agent holds: interned whole (exact;
    // their deadlines stay absolute, so states that differ only by a shift in time are not merged).
    out[w++] = this.objs.id(s.updaters);
    out[w++] = this.objs.id(s.agentObjects);
    out[w++] = this.objs.id(s.dynamicPortNext);
    out[w++] = s.nodes.length;
    for (const n of s.nodes) {
      if (!this.nodeBase.has(n.id)) this.nodeBase.set(n.id, n);
      out[w++] = this.strs.id(n.id);
      out[w++] =
        ROLES.indexOf(n.role) |
        (ROLES.indexOf(n.desiredRole) << 1) |
        (AVAIL.indexOf(n.availability) << 2) |
        (STATUS.indexOf(n.status) << 4) |
        (n.up ? 64 : 0) |
        (n.left ? 128 : 0) |
        (n.pending.globalReconcile ? 256 : 0) |
        (n.pending.enforce ? 512 : 0);
      out[w++] = this.objs.id(n.labels);
      out[w++] = this.strs.id(n.statusMessage);
      out[w++] = n.group;
      out[w++] = deadline(now, n.dispatcher.heartbeatDeadline);
      out[w++] = deadline(now, n.dispatcher.orphanAt);
    }
    out[w++] = s.services.length;
    for (const x of s.services) {
      out[w++] = rankOf(sn, nS, x.id);
      out[w++] = this.objs.id(x.spec);
      out[w++] = x.version;
      out[w++] = this.objs.id(x.previousSpec);
      out[w++] = x.previousVersion;
      out[w++] = this.objs.id(x.ports);
      out[w++] = rel(now, x.createdAt);
      out[w++] = this.objs.id(x.updateStatus);
      out[w++] = x.reconcile ? 1 : 0;
    }
    out[w++] = s.tasks.length;
    for (const t of s.tasks) {
      out[w++] = taskRank(tn, nT, t.id);
      out[w++] = rankOf(sn, nS, t.serviceId);
      out[w++] = t.slot;
      out[w++] = this.strs.id(t.nodeId);
      out[w++] =
        OBSERVED_STATES.indexOf(t.observed) |
        (DESIRED_STATES.indexOf(t.desired) << 4) |
        (t.containerLost ? 128 : 0);
      out[w++] = t.specVersion;
      out[w++] = this.objs.id(t.spec);
      out[w++] = this.objs.id(t.ports);
      out[w++] = rel(now, t.createdAt);
      out[w++] = rel(now, t.statusAt);
      out[w++] = this.strs.id(t.message);
      out[w++] = this.strs.id(t.err);
      out[w++] = t.exitCode === null ? NONE : t.exitCode;
      const d = t.delayed;
      if (d === null) out[w++] = 0;
      else {
        out[w++] = 1;
        out[w++] = -rel(now, d.startAt);
        out[w++] = taskRank(tn, nT, d.oldTaskId);
        out[w++] = this.strs.id(d.oldNodeId);
        out[w++] = -rel(now, d.timeoutAt);
      }
      const h = ps.h?.task.get(t.id);
      out[w++] =
        h === undefined
          ? -1
          : h.tid | (h.pstate << 4) | (h.pdesired << 8) | (h.stopped ? 4096 : 0) | (h.absent ? 8192 : 0);
    }
    const hist = s.restartHistory
      .map((r) => ({
        r,
        k: rankOf(sn, nS, keySvc(r.key)),
        rest: this.strs.id(r.key.slice(r.key.indexOf('/'))),
      }))
      .sort((a, b) => a.k - b.k || a.rest - b.rest);
    out[w++] = hist.length;
    for (const { r, k, rest } of hist) {
      out[w++] = k;
      out[w++] = rest;
      out[w++] = r.specVersion;
      out[w++] = r.totalRestarts;
      out[w++] = r.restartedAt.length;
      for (const at of r.restartedAt) out[w++] = rel(now, at);
    }
    const dirty = s.reaperDirty
      .map((key) => ({ k: rankOf(sn, nS, keySvc(key)), rest: this.strs.id(key.slice(key.indexOf('/'))) }))
      .sort((a, b) => a.k - b.k || a.rest - b.rest);
    out[w++] = dirty.length;
    for (const { k, rest } of dirty) {
      out[w++] = k;
      out[w++] = rest;
    }
    const fails = s.schedulerFailures
      .map((f) => ({ f, node: this.strs.id(f.node), k: rankOf(sn, nS, f.serviceId) }))
      .sort((a, b) => a.node - b.node || a.k - b.k || a.f.specVersion - b.f.specVersion);
    out[w++] = fails.length;
    for (const { f, node, k } of fails) {
      out[w++] = node;
      out[w++] = k;
      out[w++] = f.specVersion;
      out[w++] = f.at.length;
      for (const at of f.at) out[w++] = rel(now, at);
    }
    if (ps.h === null) out[w++] = -1;
    else {
      const pairs = [...ps.h.svc].map(([id, sid]) => [rankOf(sn, nS, id), sid]).sort((a, b) => a[0] - b[0]);
      out[w++] = pairs.length;
      for (const [k, sid] of pairs) {
        out[w++] = k;
        out[w++] = sid;
      }
    }
    out[w++] = nS;
    out[w++] = nT;
    return w;
  }

  decode(words: Int32Array, start: number, _len: number): ProductState {
    let r = start;
    const get = () => words[r++];
    const now = T0;
    const past = (d: number) => now - d;
    const dl = (d: number) => (d === NONE ? -1 : now + d);
    const sid = (rank: number) => `s${ID_BASE + rank}`;
    const tid = (rank: number) => (rank < 0 ? '' : `t${ID_BASE + rank}`);
    const str = (i: number) => this.strs.get(i) ?? '';
    const events = get();
    const flags = get();
    const leader = str(get());
    const term = get();
    const voters = this.objs.get(get()) as string[];
    const taskHistoryLimit = get();
    const heartbeatPeriodMs = get();
    const secrets = this.objs.get(get()) as State['secrets'];
    const configs = this.objs.get(get()) as State['configs'];
    const networks = this.objs.get(get()) as State['networks'];
    const updaters = this.objs.get(get()) as State['updaters'];
    const agentObjects = this.objs.get(get()) as State['agentObjects'];
    const dynamicPortNext = this.objs.get(get()) as State['dynamicPortNext'];
    const nodes: Node[] = [];
    for (let i = get(); i > 0; i--) {
      const id = str(get());
      const bits = get();
      const base = this.nodeBase.get(id)!;
      nodes.push({
        ...base,
        role: ROLES[bits & 1],
        desiredRole: ROLES[(bits >> 1) & 1],
        availability: AVAIL[(bits >> 2) & 3],
        status: STATUS[(bits >> 4) & 3],
        up: (bits & 64) !== 0,
        left: (bits & 128) !== 0,
        pending: { globalReconcile: (bits & 256) !== 0, enforce: (bits & 512) !== 0 },
        labels: this.objs.get(get()) as Record<string, string>,
        statusMessage: str(get()),
        group: get(),
        dispatcher: { heartbeatDeadline: dl(get()), orphanAt: dl(get()) },
      });
    }
    const services: Service[] = [];
    for (let i = get(); i > 0; i--) {
      services.push({
        id: sid(get()),
        spec: this.objs.get(get()) as Service['spec'],
        version: get(),
        previousSpec: this.objs.get(get()) as Service['previousSpec'],
        previousVersion: get(),
        ports: this.objs.get(get()) as Service['ports'],
        createdAt: past(get()),
        updateStatus: this.objs.get(get()) as Service['updateStatus'],
        reconcile: get() === 1,
      });
    }
    const tasks: Task[] = [];
    const th: [string, number][] = [];
    for (let i = get(); i > 0; i--) {
      const rank = get();
      const id = tid(rank);
      const serviceId = sid(get());
      const slot = get();
      const nodeId = str(get());
      const st = get();
      const specVersion = get();
      const spec = this.objs.get(get()) as Task['spec'];
      const ports = this.objs.get(get()) as Task['ports'];
      const createdAt = past(get());
      const statusAt = past(get());
      const message = str(get());
      const err = str(get());
      const ec = get();
      let delayed: DelayedStart | null = null;
      if (get() === 1)
        delayed = {
          startAt: now + get(),
          oldTaskId: tid(get()),
          oldNodeId: str(get()),
          timeoutAt: now + get(),
        };
      th.push([id, get()]);
      tasks.push({
        id,
        serviceId,
        slot,
        nodeId,
        observed: OBSERVED_STATES[st & 15] as ObservedState,
        desired: DESIRED_STATES[(st >> 4) & 7] as DesiredState,
        specVersion,
        spec,
        ports,
        createdAt,
        seq: ID_BASE + rank,
        statusAt,
        message,
        err,
        exitCode: ec === NONE ? null : ec,
        delayed,
        containerLost: (st & 128) !== 0,
      });
    }
    const restartHistory: RestartHistory[] = [];
    for (let i = get(); i > 0; i--) {
      const key = sid(get()) + str(get());
      const specVersion = get();
      const totalRestarts = get();
      const restartedAt: number[] = [];
      for (let j = get(); j > 0; j--) restartedAt.push(past(get()));
      restartHistory.push({ key, specVersion, totalRestarts, restartedAt });
    }
    const reaperDirty: string[] = [];
    for (let i = get(); i > 0; i--) reaperDirty.push(sid(get()) + str(get()));
    const schedulerFailures: RecentFailures[] = [];
    for (let i = get(); i > 0; i--) {
      const node = str(get());
      const serviceId = sid(get());
      const specVersion = get();
      const at: number[] = [];
      for (let j = get(); j > 0; j--) at.push(past(get()));
      schedulerFailures.push({ node, serviceId, specVersion, at });
    }
    let h: History | null = null;
    const nPairs = get();
    if (nPairs >= 0) {
      const svc = new Map<string, number>();
      for (let i = 0; i < nPairs; i++) {
        const k = get();
        svc.set(sid(k), get());
      }
      const task = new Map<string, TaskHistory>();
      for (const [id, x] of th)
        if (x >= 0)
          task.set(id, {
            tid: x & 15,
            pstate: (x >> 4) & 15,
            pdesired: (x >> 8) & 15,
            stopped: (x & 4096) !== 0,
            absent: (x & 8192) !== 0,
          });
      h = { svc, task };
    }
    const nS = get();
    const nT = get();
    const s: State = {
      now,
      initialized: (flags & 1) !== 0,
      seq: ID_BASE + Math.max(nS, nT),
      nodes,
      services,
      tasks,
      secrets,
      configs,
      networks,
      updaters,
      agentObjects,
      raft: { voters, leader, term },
      taskHistoryLimit,
      heartbeatPeriodMs,
      restartHistory,
      schedulerPending: (flags & 2) !== 0,
      reaperDirty,
      reaperPending: (flags & 4) !== 0,
      schedulerFailures,
      dynamicPortNext,
    };
    return { s, events, h };
  }
}

/** Sorts xs and removes duplicates in place; returns the count. */
function sortUnique(xs: number[]): number {
  xs.sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (i === 0 || xs[i] !== xs[n - 1]) xs[n++] = xs[i];
  xs.length = n;
  return n;
}

function rankOf(sorted: number[], n: number, id: string): number {
  const x = num(id);
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function taskRank(sorted: number[], n: number, id: string): number {
  return id === '' ? -1 : rankOf(sorted, n, id);
}

function keySvc(k: string): string {
  return k.slice(0, k.indexOf('/'));
}

function rel(now: number, t: number): number {
  const d = now - t;
  if (d > 2147483647 || d < -2147483647) throw new RangeError(`time ${t} too far from now ${now}`);
  return d;
}

function deadline(now: number, t: number): number {
  return t === -1 ? NONE : -rel(now, t);
}
