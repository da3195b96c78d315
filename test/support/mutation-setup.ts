/**
 * Setup for mutation runs only (vitest.mutation.config.ts): a mutant is judged by whether a property
 * fails, not by how small its counterexample shrinks, so fast-check stops at the first failure.
 */
import fc from 'fast-check';

fc.configureGlobal({ endOnFailure: true });
