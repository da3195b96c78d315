/**
 * A profile: a named model the `explore` command can build from its flags. Every profile is listed
 * once in profiles.ts.
 */
import type { Model } from './model.ts';

export interface ProfileFlag {
  /** Flag name without dashes, e.g. `nodes`. */
  name: string;
  /** What the flag sets, in the model's own terms (e.g. `Node = {n1..nN}`). */
  help: string;
  /** Used when the flag is absent. */
  default: number;
  /** Where the default comes from, e.g. `design/tla/models/SwarmKit.cfg`. */
  defaultSource: string;
  /** Smallest accepted value (default 0). */
  min?: number;
  max?: number;
}

export interface BuiltProfile {
  model: Model<any>;
  /** One line naming the constants in the model's terms, e.g. `Node={n1} ServiceId={s1} ...`. */
  constants: string;
}

export interface Profile {
  name: string;
  /** A few words, for lists (`swarm-model explore` without a profile). */
  short: string;
  summary: string;
  flags: ProfileFlag[];
  build(values: Readonly<Record<string, number>>): BuiltProfile;
}
