/**
 * What `docker service create --name web nginx` asks for when no flag says otherwise: one replica
 * (moby/moby:daemon/cluster/convert/service.go), the VIP endpoint mode with no published ports
 * (docker/cli:cli/command/service/opts.go: --endpoint-mode defaults to vip), and no command of its
 * own (the image's CMD runs).
 */
import { expect, test } from 'vitest';
import { defaultServiceSpec } from '../../model/defaults.ts';

test('a service spec with no flags: replicated ×1, endpoint mode vip without ports, no command', () => {
  const spec = defaultServiceSpec('web', 'nginx');
  expect([spec.mode, spec.replicas]).toEqual(['replicated', 1]);
  expect(spec.endpoint).toEqual({ mode: 'vip', ports: [] });
  expect(spec.task.command).toEqual([]);
  expect(spec.task.image).toBe('nginx');
});
