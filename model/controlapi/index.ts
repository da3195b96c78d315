/**
 * The control API: validates and applies a user command as one store transaction (moby/swarmkit:manager/controlapi/).
 * One file per object kind; the no-leader and not-initialised gates are in model/relation.ts.
 */
import type { StepResult } from '../actions.ts';
import type { UserCommand } from '../spec.ts';
import type { State } from '../state.ts';
import { nodeCommand, swarmInit, swarmJoin, swarmLeave } from './node.ts';
import { objectCommand } from './objects.ts';
import { serviceCommand } from './service.ts';

export function applyCommand(s: State, c: UserCommand): StepResult {
  switch (c.kind) {
    case 'swarm.init':
      return swarmInit(s, c);
    case 'swarm.join':
      return swarmJoin(s, c.node);
    case 'swarm.leave':
      return swarmLeave(s, c.node, c.force);
    case 'node.update':
    case 'node.promote':
    case 'node.demote':
    case 'node.rm':
    case 'node.ls':
      return nodeCommand(s, c);
    case 'service.create':
    case 'service.update':
    case 'service.scale':
    case 'service.rollback':
    case 'service.rm':
    case 'service.ps':
    case 'service.ls':
      return serviceCommand(s, c);
    case 'secret.create':
    case 'secret.rm':
    case 'config.create':
    case 'config.rm':
    case 'network.create':
      return objectCommand(s, c);
  }
}
