import { chooseOptimalParameterSet, ParameterSetCandidate } from './optimal-parameters';

const aSet = (overrides: Partial<ParameterSetCandidate> = {}): ParameterSetCandidate => ({
  hash: 'h',
  support: 3,
  effectiveSuccesses: 3,
  avgImpactScore: 0.5,
  lastUsedAt: '2025-01-01T00:00:00+00:00',
  ...overrides,
});

describe(chooseOptimalParameterSet.name, () => {
  it('has no answer when no set reaches the minimum support', () => {
    expect(chooseOptimalParameterSet([], 3)).toBeUndefined();
    expect(
      chooseOptimalParameterSet([aSet({ support: 2, effectiveSuccesses: 2 })], 3),
    ).toBeUndefined();
  });

  it('ignores a set below the minimum support however good it is', () => {
    const rare = aSet({ hash: 'rare', support: 2, effectiveSuccesses: 2, avgImpactScore: 1 });
    const common = aSet({ hash: 'common', support: 10, effectiveSuccesses: 5 });
    expect(chooseOptimalParameterSet([rare, common], 3)?.hash).toBe('common');
    expect(chooseOptimalParameterSet([rare, common], 2)?.hash).toBe('rare');
  });

  it('picks the highest success rate first', () => {
    const often = aSet({ hash: 'often', support: 4, effectiveSuccesses: 3, avgImpactScore: 0.1 });
    const always = aSet({ hash: 'always', support: 3, effectiveSuccesses: 3, avgImpactScore: 0.1 });
    const impactful = aSet({
      hash: 'impactful',
      support: 4,
      effectiveSuccesses: 2,
      avgImpactScore: 1,
    });
    expect(chooseOptimalParameterSet([often, impactful, always], 3)?.hash).toBe('always');
  });

  it('breaks a success-rate tie by average impact, a set without impact ranking last', () => {
    const low = aSet({ hash: 'low', avgImpactScore: 0.2 });
    const high = aSet({ hash: 'high', support: 6, effectiveSuccesses: 6, avgImpactScore: 0.9 });
    const none = aSet({ hash: 'none', avgImpactScore: null });
    expect(chooseOptimalParameterSet([none, low, high], 3)?.hash).toBe('high');
    expect(chooseOptimalParameterSet([none, low], 3)?.hash).toBe('low');
  });

  it('compares success rates exactly (2/3 equals 4/6)', () => {
    const small = aSet({ hash: 'small', support: 3, effectiveSuccesses: 2, avgImpactScore: 0.6 });
    const big = aSet({ hash: 'big', support: 6, effectiveSuccesses: 4, avgImpactScore: 0.5 });
    expect(chooseOptimalParameterSet([big, small], 3)?.hash).toBe('small');
  });

  it('then prefers the larger support, then the most recent use', () => {
    const older = aSet({ hash: 'older', lastUsedAt: '2025-01-01T00:00:00+00:00' });
    const newer = aSet({ hash: 'newer', lastUsedAt: '2025-01-01T00:00:00.5+00:00' });
    const bigger = aSet({ hash: 'bigger', support: 4, effectiveSuccesses: 4 });
    expect(chooseOptimalParameterSet([older, newer], 3)?.hash).toBe('newer');
    expect(chooseOptimalParameterSet([older, newer, bigger], 3)?.hash).toBe('bigger');
  });

  it('counts a set whose successes all drew negative feedback as failing', () => {
    // effectiveSuccesses already excludes executions of tasks whose latest feedback is negative.
    const disliked = aSet({
      hash: 'disliked',
      support: 3,
      effectiveSuccesses: 0,
      avgImpactScore: 1,
    });
    const plain = aSet({ hash: 'plain', support: 3, effectiveSuccesses: 1, avgImpactScore: 0 });
    expect(chooseOptimalParameterSet([disliked, plain], 3)?.hash).toBe('plain');
  });
});
