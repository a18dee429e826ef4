import {
  executionRecordSchema,
  executionRecordSubject,
  EXECUTIONS_STREAM,
  recordFeedbackSchema,
  taskStatsQuerySchema,
} from './task-history';

const aRecord = {
  executionId: '3f1c2d4e-0000-4000-8000-000000000001',
  taskId: null,
  domain: 'diagnostics',
  action: 'ping',
  phase: 'execute',
  success: true,
  error: null,
  durationMs: 12,
  impactScore: 0.5,
  resourcesUsed: {},
  parameters: { ms: 12 },
  logs: [],
  correlationId: 'corr-1',
  createdAt: '2025-01-01T10:00:00.000Z',
};

describe('execution records', () => {
  it('accepts a complete record', () => {
    expect(executionRecordSchema.parse(aRecord)).toEqual(aRecord);
  });

  it.each([
    ['a domain that is not one subject token', { domain: 'bad.domain' }],
    ['an impact score above 1', { impactScore: 1.5 }],
    ['a fractional duration', { durationMs: 1.5 }],
    ['an unknown phase', { phase: 'later' }],
    ['a time without a zone', { createdAt: '2025-01-01 10:00' }],
  ])('rejects %s', (_, change) => {
    expect(executionRecordSchema.safeParse({ ...aRecord, ...change }).success).toBe(false);
  });

  it('publishes under the stream subjects, one token per domain', () => {
    expect(executionRecordSubject('music-production')).toBe(
      'history.executions.v1.music-production',
    );
    expect(EXECUTIONS_STREAM.subjects).toEqual(['history.executions.v1.>']);
  });

  it('bounds the stats window and accepts only the three feedback values', () => {
    expect(taskStatsQuerySchema.safeParse({ timeWindowHours: 0 }).success).toBe(false);
    expect(taskStatsQuerySchema.safeParse({ timeWindowHours: 8761 }).success).toBe(false);
    expect(taskStatsQuerySchema.safeParse({ timeWindowHours: 168, minSupport: 3 }).success).toBe(
      true,
    );
    expect(recordFeedbackSchema.safeParse({ taskId: 't', feedback: 'great' }).success).toBe(false);
    expect(recordFeedbackSchema.safeParse({ taskId: 't', feedback: 'neutral' }).success).toBe(true);
  });
});
