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
  summary: string;
  flags: ProfileFlag[];
  build(values: Readonly<Record<string, number>>): BuiltProfile;
}
