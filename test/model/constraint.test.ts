/**
 * Placement constraints, one row per rule of moby/swarmkit:manager/constraint/constraint.go (Parse,
 * Match, NodeMatches). The expected values are read off that code, not off the model:
 * - keys compare case-insensitively, values whole-string and case-insensitively;
 * - a label key after `node.labels.` / `engine.labels.` is case-sensitive, and a missing label is "";
 * - `node.ip` compares with the node's address (the model has none, so Go's ParseIP gives nil):
 *   an IP or CIDR never contains/equals it, so `==` fails and `!=` passes; a malformed one fails both;
 * - any other key fails the node.
 */
import { describe, expect, test } from 'vitest';
import { nodeMatchesExprs, parseConstraints, spreadValue } from '../../model/scheduler/constraint.ts';
import { buildNodeInfos } from '../../model/scheduler/nodeInfo.ts';
import { Pipeline } from '../../model/scheduler/pipeline.ts';
import type { Node } from '../../model/state.ts';
import { cluster, create, service } from './helpers.ts';

function theNode(): Node {
  const s = cluster([
    {
      hostname: 'Box-1',
      labels: { Zone: 'east', disk: 'ssd' },
      engineLabels: { Storage: 'fast' },
    },
  ]);
  return { ...s.nodes[0], os: 'linux', arch: 'x86_64' };
}

describe('constraint matching (constraint.go (NodeMatches))', () => {
  const n = theNode();
  const rows: [string[], boolean][] = [
    [[`node.id==${n.id}`], true],
    [[`node.id!=${n.id}`], false],
    [['node.id==nope'], false],
    [['node.id!=nope'], true],
    [['node.hostname==box-1'], true],
    [['NODE.HOSTNAME==BOX-1'], true],
    [['node.hostname!=Box-1'], false],
    [['node.hostname==box'], false],
    [['node.role==manager'], true],
    [['node.role!=manager'], false],
    [['node.role==worker'], false],
    [['node.platform.os==Linux'], true],
    [['node.platform.os!=linux'], false],
    [['node.platform.os==windows'], false],
    [['node.platform.arch==x86_64'], true],
    [['node.platform.arch!=x86_64'], false],
    [['node.platform.arch==aarch64'], false],
    [['node.labels.Zone==EAST'], true],
    [['node.labels.zone==east'], false],
    [['node.labels.zone!=east'], true],
    [['NODE.LABELS.Zone==east'], true],
    [['node.labels.disk!=hdd'], true],
    [['node.labels.missing!=x'], true],
    [['node.labels.missing==x'], false],
    [['node.labels.==x'], false],
    [['node.labels.!=x'], false],
    [['engine.labels.Storage==fast'], true],
    [['engine.labels.storage==fast'], false],
    [['engine.labels.Storage!=fast'], false],
    [['engine.labels.missing!=fast'], true],
    [['Engine.Labels.Storage==FAST'], true],
    [['engine.labels.==x'], false],
    [['engine.labels.!=x'], false],
    [['node.ip==10.0.0.1'], false],
    [['node.ip!=10.0.0.1'], true],
    [['node.ip==10.0.0.0/8'], false],
    [['node.ip!=10.0.0.0/8'], true],
    [['node.ip!=2001:db8::2'], true],
    [['node.ip==2001:db8::2'], false],
    [['node.ip!=not-an-address'], false],
    [['node.ip==not-an-address'], false],
    [['node.name==box-1'], false],
    [['engine.foo==x'], false],
    [['node.role==manager', 'node.labels.Zone==east'], true],
    [['node.role==manager', 'node.labels.Zone==west'], false],
    [['node.labels.Zone==west', 'node.role==manager'], false],
    [[], true],
  ];
  test.each(rows)('%j → %s', (exprs, want) => {
    expect(nodeMatchesExprs(exprs, n)).toBe(want);
  });
});

describe('constraint parsing (constraint.go (Parse))', () => {
  test('== is tried before !=, spaces around key and value are trimmed', () => {
    expect(parseConstraints([' node.role == manager '])).toEqual([
      { key: 'node.role', op: 'eq', exp: 'manager' },
    ]);
    expect(parseConstraints(['node.role!=worker'])).toEqual([
      { key: 'node.role', op: 'noteq', exp: 'worker' },
    ]);
    expect(parseConstraints(['ab==b!=c'])).toBe("value 'b!=c' is invalid");
    // A key needs two characters at least (alphaNumeric in constraint.go).
    expect(parseConstraints(['a==b'])).toBe("key 'a' is invalid");
  });
  test.each([
    ['node.role=manager', 'constraint expected one operator from ==, !='],
    ['node.role', 'constraint expected one operator from ==, !='],
    ['-role==x', "key '-role' is invalid"],
    ['==x', "key '' is invalid"],
    ['node.role==', "value '' is invalid"],
    ['node.role==a,b', "value 'a,b' is invalid"],
  ])('%s → %s', (expr, err) => {
    expect(parseConstraints([expr])).toBe(err);
  });
  test('the first bad expression decides the error; a later good one does not hide it', () => {
    expect(parseConstraints(['node.role==manager', 'x'])).toBe(
      'constraint expected one operator from ==, !=',
    );
    expect(parseConstraints(['node.role==manager', 'x', '-y==z'])).toBe(
      'constraint expected one operator from ==, !=',
    );
  });
  test('values may use the pattern characters SwarmKit allows', () => {
    expect(parseConstraints(['node.labels.x==a:b-c_d e.f*(g)?+[h]\\^$|/'])).toEqual([
      { key: 'node.labels.x', op: 'eq', exp: 'a:b-c_d e.f*(g)?+[h]\\^$|/' },
    ]);
  });
  test('an unparsable set does not filter (the control API refuses it before the scheduler sees it)', () => {
    expect(nodeMatchesExprs(['nonsense'], theNode())).toBe(true);
    // filter.go (ConstraintFilter.SetTask): a parse error disables the filter for the task.
    const s = create(cluster([{ hostname: 'a' }]), service('web', { replicas: 1 }));
    const t = s.tasks[0];
    const p = new Pipeline();
    p.setTask({ ...t, spec: { ...t.spec, placement: { ...t.spec.placement, constraints: ['nonsense'] } } });
    const ni = buildNodeInfos(s).get(t.nodeId)!;
    expect(p.process(ni)).toBe(true);
    p.setTask({
      ...t,
      spec: { ...t.spec, placement: { ...t.spec.placement, constraints: ['node.role==worker'] } },
    });
    expect(p.process(ni)).toBe(false);
    expect(p.explain()).toBe('scheduling constraints not satisfied on 1 node');
  });
});

describe('spread descriptors (scheduler/nodeset.go (tree))', () => {
  const n = theNode();
  test.each([
    ['node.labels.Zone', 'east'],
    ['NODE.LABELS.Zone', 'east'],
    ['node.labels.zone', ''],
    ['engine.labels.Storage', 'fast'],
    ['Engine.Labels.Storage', 'fast'],
    ['engine.labels.none', ''],
    ['node.labels.', null],
    ['engine.labels.', null],
    ['node.hostname', null],
  ])('%s → %j', (d, v) => {
    expect(spreadValue(d, n)).toBe(v);
  });
});
