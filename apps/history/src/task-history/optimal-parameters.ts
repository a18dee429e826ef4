/** Aggregates of one parameter set over the executions in a stats window. */
export interface ParameterSetCandidate {
  /** Fingerprint of the set's canonical JSON (see parameter-set.ts). */
  hash: string;
  /** Executions in the window that ran with this set. */
  support: number;
  /** Of those, the ones that succeeded and whose task has no negative latest feedback. */
  effectiveSuccesses: number;
  /** Average impact score of the executions that reported one; null when none did. */
  avgImpactScore: number | null;
  /** Start of the set's latest execution, exactly as the database holds it (ISO-8601). */
  lastUsedAt: string;
}

/**
 * The learning rule for `optimalParameters`:
 *
 * 1. Group the window's executions by parameter set (canonical JSON, keys sorted).
 * 2. Keep the sets seen at least `minSupport` times (default 3).
 * 3. Pick the set with the highest success rate, where an execution counts as a success
 *    only if it succeeded and its task's latest feedback (given in the window) is not
 *    negative.
 * 4. Ties go to the highest average impact score (a set with no impact scores ranks
 *    below any set with one), then to the larger support, then to the most recent use.
 * 5. No set qualifies: there are no optimal parameters (null).
 */
export function chooseOptimalParameterSet(
  candidates: readonly ParameterSetCandidate[],
  minSupport: number,
): ParameterSetCandidate | undefined {
  let best: ParameterSetCandidate | undefined;
  for (const candidate of candidates) {
    if (candidate.support < minSupport) continue;
    if (!best || ranksAbove(candidate, best)) best = candidate;
  }
  return best;
}

function ranksAbove(a: ParameterSetCandidate, b: ParameterSetCandidate): boolean {
  // Cross-multiplied success rates: exact for integer counts, no floating-point ties.
  const rate = a.effectiveSuccesses * b.support - b.effectiveSuccesses * a.support;
  if (rate !== 0) return rate > 0;
  const impact = (a.avgImpactScore ?? -1) - (b.avgImpactScore ?? -1);
  if (impact !== 0) return impact > 0;
  if (a.support !== b.support) return a.support > b.support;
  return Date.parse(a.lastUsedAt) > Date.parse(b.lastUsedAt);
}
