/**
 * The transition relation's own gates (model/relation.ts). Before `docker swarm init` there is no
 * swarm: every control API call fails as the daemon's Cluster answers it, moby/moby:daemon/cluster/
 * cluster.go (errNoManager: no swarm node → "This node is not a swarm manager. Use …"), except
 * `swarm leave`, moby/moby:daemon/cluster/swarm.go (Leave): errNoSwarm. Nothing runs, nothing is enabled.
 */
import { describe, expect, test } from 'vitest';
import { emptyState, enabled } from '../../model/index.ts';
import { refuse, service } from './helpers.ts';

const NOT_A_MANAGER =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';

describe('before swarm init', () => {
  test('manager calls are refused with errNoManager', () => {
    const s = emptyState();
    expect(refuse(s, { kind: 'service.create', spec: service('web') })).toBe(NOT_A_MANAGER);
    expect(refuse(s, { kind: 'node.ls' })).toBe(NOT_A_MANAGER);
    expect(refuse(s, { kind: 'swarm.leave', node: 'a', force: true })).toBe(
      'This node is not part of a swarm',
    );
  });

  test('no component or environment action is enabled', () => {
    expect(enabled(emptyState())).toEqual([]);
  });
});
