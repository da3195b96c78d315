/**
 * Every model `swarm-model explore --profile NAME` can explore. Add a profile with one line here.
 */
import { clusterProfile } from '../refine/clusterProfile.ts';
import { swarmkitTlaProfile } from '../tla/profile.ts';
import type { Profile } from './profile.ts';

export const profiles: readonly Profile[] = [swarmkitTlaProfile, clusterProfile];
