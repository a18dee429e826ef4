import { TaskStats } from '@jarvis/contracts';
import { decideTask } from './task-decision';

const stats = (overrides: Partial<TaskStats> = {}): TaskStats => ({
  totalExecutions: 0,
  successCount: 0,
  failureCount: 0,
  successRate: 0,
  avgDurationMs: null,
  p50DurationMs: null,
  p95DurationMs: null,
  avgImpactScore: null,
  feedback: { positive: 0, negative: 0, neutral: 0 },
  optimalParameters: null,
  lastExecutedAt: null,
  ...overrides,
});

describe(decideTask.name, () => {
  it('defers what succeeded under 20% over more than five runs, giving the rate', () => {
    const decided = decideTask(
      {
        stats: stats({ totalExecutions: 6, successCount: 1, failureCount: 5, successRate: 1 / 6 }),
      },
      { a: 1 },
    );
    expect(decided.decision).toMatchObject({
      decision: 'defer',
      confidence: 0.9,
      historyAvailable: true,
      successRate: 1 / 6,
      totalExecutions: 6,
    });
    expect(decided.decision.reasoning).toContain('17%');
    expect(decided.decision.reasoning).toContain('1 of 6');
    expect(decided.params).toEqual({ a: 1 });
  });

  it('goes ahead with five failures out of five: not enough to judge', () => {
    const decided = decideTask({ stats: stats({ totalExecutions: 5, failureCount: 5 }) }, {});
    expect(decided.decision.decision).toBe('proceed');
  });

  it('goes ahead at exactly 20%', () => {
    const decided = decideTask(
      { stats: stats({ totalExecutions: 10, successCount: 2, successRate: 0.2 }) },
      {},
    );
    expect(decided.decision).toMatchObject({ decision: 'proceed', confidence: 0.2 });
  });

  it('fills the params left unset with the learned ones; the submitter wins', () => {
    const decided = decideTask(
      {
        stats: stats({
          totalExecutions: 3,
          successCount: 3,
          successRate: 1,
          optimalParameters: { tempo: 120, key: 'C', mood: 'calm' },
        }),
      },
      { key: 'D' },
    );
    expect(decided.params).toEqual({ tempo: 120, key: 'D', mood: 'calm' });
    expect(decided.decision).toMatchObject({
      decision: 'proceed',
      appliedParameters: { tempo: 120, mood: 'calm' },
      confidence: 0.5,
    });
    expect(decided.decision.reasoning).toContain('filled tempo, mood');
  });

  it('goes ahead without learning when history does not answer, and says so', () => {
    const decided = decideTask(
      { unavailable: 'No answer on history.stats.get.v1 within 1000 ms' },
      {
        x: 1,
      },
    );
    expect(decided.params).toEqual({ x: 1 });
    expect(decided.decision).toMatchObject({
      decision: 'proceed',
      historyAvailable: false,
      successRate: null,
      totalExecutions: null,
    });
    expect(decided.decision.reasoning).toMatch(/History did not answer .*without learning/);
  });
});
