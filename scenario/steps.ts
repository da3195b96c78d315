/**
 * What a scenario line means once parsed: a docker command (one or more UserCommands from
 * model/spec.ts, as docker would send them to the swarm), a fault, or a time verb.
 *
 * Names of nodes, services and tasks stay names here, with the column they were typed at: whether
 * they exist can only be known when the line runs (an earlier line may create or remove them).
 */
import type { UserCommand } from '../model/spec.ts';

/** A name the user typed that must resolve when the line runs. */
export interface Ref {
  kind: 'node' | 'service' | 'task';
  name: string;
  col: number;
}

interface StepBase {
  /** 1-based line number in the scenario file. */
  line: number;
  /** The line as written, trimmed, without its trailing comment. */
  text: string;
}

export interface DockerStep extends StepBase {
  kind: 'docker';
  /** One per object named: `docker node promote a b` is two promote commands. */
  commands: UserCommand[];
  /** Every node/service the commands name, checked before the line runs. */
  refs: Ref[];
}

export interface CrashStep extends StepBase {
  kind: 'crash' | 'restart';
  node: Ref;
}

export interface PartitionStep extends StepBase {
  kind: 'partition';
  /** Groups separated by `|`; at least two. */
  groups: Ref[][];
}

export interface HealStep extends StepBase {
  kind: 'heal';
}

export interface ExitStep extends StepBase {
  kind: 'exit';
  task: Ref;
  code: number;
}

export interface RejectStep extends StepBase {
  kind: 'reject';
  task: Ref;
}

export interface WaitStep extends StepBase {
  kind: 'wait';
  ms: number;
}

export interface SettleStep extends StepBase {
  kind: 'settle';
}

export type Step =
  | DockerStep
  | CrashStep
  | PartitionStep
  | HealStep
  | ExitStep
  | RejectStep
  | WaitStep
  | SettleStep;
