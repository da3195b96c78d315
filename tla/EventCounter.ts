/**
 * MODULE EventCounter — moby/swarmkit:design/tla/EventCounter.tla, transcribed.
 *
 * `nEvents` counts the ``events'' (faults and user changes) so far. `maxEvents` is a definition, -1
 * in the module (unlimited, and then the counter never moves, to keep the model finite); the spec's
 * comments suggest overriding it in TLC ("Definition Override", e.g. maxEvents = 2), which is what
 * the --max-events flag does.
 */

// InitEvents == nEvents = 0
export const InitEvents = 0;

/**
 * CountEvent ==
 *   IF maxEvents = -1 THEN UNCHANGED nEvents
 *   ELSE /\ nEvents < maxEvents
 *        /\ nEvents' = nEvents + 1
 *
 * Returns nEvents', or undefined when the action is disabled (nEvents = maxEvents).
 */
export function CountEvent(nEvents: number, maxEvents: number): number | undefined {
  if (maxEvents === -1) return nEvents;
  return nEvents < maxEvents ? nEvents + 1 : undefined;
}
