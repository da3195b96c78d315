/**
 * How a docker command's reference finds its object: the daemon tries the full ID, then the exact
 * name, then an ID prefix, and refuses a reference that names no object or several
 * (moby/moby:daemon/cluster/helpers.go (getNode, getService, getSecret, getConfig));
 * `docker service ps` does the same on the client, in its own words (docker/cli:cli/command/service/ps.go).
 * Model IDs are short (n1, s2, t7), so a prefix such as `n` is ambiguous whenever there are two nodes.
 */
import { describe, expect, test } from 'vitest';
import { findNode, findTask, resolveRef } from '../../model/lookup.ts';
import type { Task } from '../../model/state.ts';
import { act, cluster, create, refuse, run, service, settled } from './helpers.ts';

const xs = [
  { id: 'a1', name: 'web' },
  { id: 'a2', name: 'a1x' },
  { id: 'b7', name: 'b' },
  { id: 'c3', name: 'api' },
];
const name = (x: { name: string }) => x.name;

describe('resolveRef', () => {
  test('the full ID first, even when it is also another object’s name prefix', () => {
    expect(resolveRef(xs, 'a1', name)).toBe(xs[0]);
  });
  test('then the exact name', () => {
    expect(resolveRef(xs, 'web', name)).toBe(xs[0]);
    expect(resolveRef(xs, 'a1x', name)).toBe(xs[1]);
  });
  test('an exact name wins over ID prefixes that would be ambiguous', () => {
    const ys = [...xs, { id: 'd1', name: 'a' }];
    // 'a' is d1's name, and the prefix of a1 and a2: the name decides.
    expect(resolveRef(ys, 'a', name)).toBe(ys[4]);
  });
  test('an ID prefix: one match is the object, several are counted, none is 0', () => {
    expect(resolveRef(xs, 'c', name)).toBe(xs[3]);
    expect(resolveRef(xs, 'a', name)).toBe(2);
    expect(resolveRef(xs, 'z', name)).toBe(0);
  });
  test('names match exactly: no case folding, no name prefixes', () => {
    expect(resolveRef(xs, 'WEB', name)).toBe(0);
    expect(resolveRef(xs, 'we', name)).toBe(0);
  });
});

describe('docker commands resolve references as the daemon does', () => {
  const s0 = () => create(cluster([{ hostname: 'm1' }, { hostname: 'w1' }]), service('web', { replicas: 1 }));
  const ids = (s: ReturnType<typeof s0>) => s.nodes.map((n) => n.id);

  test('a node by ID or hostname; an ambiguous ID prefix is refused with the match count', () => {
    const s = s0();
    const [m1, w1] = ids(s);
    // Model node IDs share their first letter, so that letter names both nodes.
    expect(m1.slice(0, 1)).toBe(w1.slice(0, 1));
    expect(refuse(s, { kind: 'node.update', node: m1.slice(0, 1), availability: 'drain' })).toBe(
      `node ${m1.slice(0, 1)} is ambiguous (2 matches found)`,
    );
    const drained = run(s, { kind: 'node.update', node: w1, availability: 'drain' });
    expect(drained.nodes.find((n) => n.id === w1)?.availability).toBe('drain');
    expect(refuse(s, { kind: 'node.update', node: 'W1', availability: 'drain' })).toBe('node W1 not found');
  });

  test('a service by ID prefix in scale and rm; two services make the prefix ambiguous', () => {
    let s = s0();
    const web = s.services[0].id;
    const prefix = web.slice(0, 1);
    s = run(s, { kind: 'service.scale', scales: [{ service: prefix, replicas: 3 }] });
    expect(s.services[0].spec.replicas).toBe(3);
    s = create(s, service('api', { replicas: 1 }));
    expect(refuse(s, { kind: 'service.rm', service: prefix })).toBe(
      `service ${prefix} is ambiguous (2 matches found)`,
    );
    expect(refuse(s, { kind: 'service.ps', service: prefix })).toBe(
      `multiple services found with provided prefix: ${prefix}`,
    );
    expect(refuse(s, { kind: 'service.ps', service: 'WEB' })).toBe('no such service: WEB');
  });

  test('a secret by name or ID prefix in secret rm', () => {
    let s = s0();
    s = run(s, { kind: 'secret.create', name: 'db-pass', sizeBytes: 8, labels: {} });
    s = run(s, { kind: 'secret.create', name: 'api-key', sizeBytes: 8, labels: {} });
    const [first] = s.secrets;
    const prefix = first.id.slice(0, 1);
    expect(refuse(s, { kind: 'secret.rm', name: prefix })).toBe(
      `secret ${prefix} is ambiguous (2 matches found)`,
    );
    s = run(s, { kind: 'secret.rm', name: 'api-key' });
    s = run(s, { kind: 'secret.rm', name: prefix });
    expect(s.secrets).toEqual([]);
  });
});

describe('findNode and findTask, as fault verbs and study checks use them', () => {
  const s0 = () => create(cluster([{ hostname: 'm1' }, { hostname: 'w1' }]), service('web', { replicas: 1 }));

  test('findNode: an ID or a hostname; nothing for an unknown or an ambiguous reference', () => {
    const s = s0();
    const [m1, w1] = s.nodes;
    expect(findNode(s, w1.id)).toBe(w1);
    expect(findNode(s, 'm1')).toBe(m1);
    expect(findNode(s, 'w2')).toBeUndefined();
    // Both model node IDs start with the same letter.
    expect(findNode(s, w1.id.slice(0, 1))).toBeUndefined();
  });

  test('findTask: a task ID finds that task even where the name would pick another', () => {
    let s = s0();
    const [first] = s.tasks;
    s = settled(act(s, { actor: 'fault', kind: 'exit', task: first.id, code: 1 }));
    expect(s.tasks.length).toBe(2);
    expect(findTask(s, 'web.1')?.id).not.toBe(first.id);
    expect(findTask(s, first.id)).toBe(s.tasks.find((t) => t.id === first.id));
    expect(findTask(s, 'web.2')).toBeUndefined();
  });

  /**
   * The slot's history rule on hand-made histories: the same slot, tasks given in list order with
   * their seq and desired state. Real histories come in seq order; the rule must not depend on it.
   */
  const slot = (...ts: [seq: number, desired: Task['desired']][]) => {
    const s = s0();
    const [t] = s.tasks;
    const tasks = ts.map(([seq, desired]) => ({ ...t, id: `x${seq}`, seq, desired }));
    return findTask({ ...s, tasks }, 'web.1')?.id;
  };

  test('findTask by name: the newest task whose desired state is at most RUNNING', () => {
    expect(slot([1, 'shutdown'], [2, 'running'])).toBe('x2');
    expect(slot([3, 'running'], [1, 'shutdown'], [2, 'ready'])).toBe('x3');
    // READY (a replacement waiting for its predecessor to stop) is current too, and newer.
    expect(slot([1, 'running'], [2, 'ready'])).toBe('x2');
  });

  test('findTask by name: a current task wins over a newer one that is being stopped', () => {
    expect(slot([1, 'running'], [2, 'shutdown'])).toBe('x1');
    expect(slot([2, 'shutdown'], [1, 'running'])).toBe('x1');
    expect(slot([2, 'remove'], [1, 'ready'])).toBe('x1');
  });

  test('findTask by name: with no current task, the newest of the slot', () => {
    expect(slot([1, 'shutdown'], [3, 'shutdown'], [2, 'remove'])).toBe('x3');
    expect(slot([3, 'complete'], [1, 'shutdown'])).toBe('x3');
  });
});
