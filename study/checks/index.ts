/** Every claim's check, by claim id (study/claims.ts). */
import type { Check } from '../check.ts';
import { managerChecks } from './managers.ts';
import { nodeChecks } from './nodes.ts';
import { otherChecks } from './others.ts';
import { serviceChecks } from './services.ts';

export const allChecks: Record<string, Check> = {
  ...serviceChecks,
  ...nodeChecks,
  ...managerChecks,
  ...otherChecks,
};
