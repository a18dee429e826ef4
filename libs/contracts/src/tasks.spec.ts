import { taskReportSchema } from './tasks';

describe('task reports', () => {
  const report = {
    taskId: '6648f318-61d1-48e0-85e3-c64f4753a019',
    dispatch: 1,
    attempt: 1,
    executionId: 'exec-1',
    outcome: 'succeeded',
    retryable: false,
    startedAt: '2025-01-01T10:00:00.000Z',
    durationMs: 3,
  };

  it('takes a claimed run as it always did, and an unclaimed one with its stream sequence', () => {
    expect(taskReportSchema.safeParse(report).success).toBe(true);
    expect(taskReportSchema.safeParse({ ...report, claimed: false, streamSeq: 9 }).success).toBe(
      true,
    );
  });

  it('refuses an unclaimed run without the stream sequence its start is recorded with', () => {
    const parsed = taskReportSchema.safeParse({ ...report, claimed: false });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ['streamSeq'],
        message: 'An unclaimed report needs the streamSeq of its message',
      }),
    ]);
  });
});
