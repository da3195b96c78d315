/**
 * File order for mutation runs. Stryker stops a mutant's run at the first failing test (bail 1), so
 * the cheap, sharp oracles go first: rule tests and fixtures kill most mutants in milliseconds, and the
 * random property runs and the refinement checks only run for mutants those let through.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const ORDER = [
  'test/model/',
  'test/scenario/',
  // Random-run checks inside test/model/: seconds, not milliseconds, so after the rule tests and fixtures.
  'test/model/enabledAgreement',
  'test/model/random',
  'test/machines/machines',
  'test/machines/task',
  'test/machines/ownership',
  'test/machines/reachability',
  'test/machines/diagrams',
  'properties/safety',
  'properties/liveness',
  'properties/updates',
  'properties/controlPlane',
  'properties/determinism',
  'properties/coverage',
  'test/machines/conformance',
  'test/study/',
  'test/refine/random',
  'properties/raft/',
  'test/refine/exhaustive',
];

/** Position of the most specific (longest) ORDER entry the file matches; unmatched files go last. */
function rank(spec: TestSpecification): number {
  const id = spec.moduleId.replaceAll('\\', '/');
  let best = -1;
  ORDER.forEach((p, i) => {
    if (id.includes(`/${p}`) && (best === -1 || p.length > ORDER[best].length)) best = i;
  });
  return best === -1 ? ORDER.length : best;
}

export class MutationSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}
