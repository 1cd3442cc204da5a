// How long autosave waits before trying again after the newsroom could not be reached:
// quickly at first (a blip), then less and less often, never more than a minute apart, with
// a little jitter so many open editors do not all come back at once. Pure: tested.

export const RETRY_STEPS_MS = [2_000, 4_000, 8_000, 15_000, 30_000, 60_000];

/** The wait before retry number `attempt` (0 = the first retry); `random` in [0, 1) spreads it ±20%. */
export function retryDelay(attempt: number, random = 0.5): number {
  const step = RETRY_STEPS_MS[Math.max(0, Math.min(Math.floor(attempt), RETRY_STEPS_MS.length - 1))];
  const spread = 0.8 + 0.4 * Math.max(0, Math.min(random, 1));
  return Math.round(step * spread);
}
