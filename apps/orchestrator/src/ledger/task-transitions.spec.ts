import { TaskClaim, TaskReport } from '@jarvis/contracts';
import {
  claimTransition,
  LedgerTask,
  lostMessageTransition,
  reportTransition,
  unclaimedReportTransition,
  undeliverableTransition,
} from './task-transitions';

const NOW = new Date('2025-01-01T10:00:00.000Z');
const ID = '6648f318-61d1-48e0-85e3-c64f4753a019';
const settings = { retryDelayMs: 1000 };

const aTask = (overrides: Partial<LedgerTask> = {}): LedgerTask => ({
  id: ID,
  domain: 'diagnostics',
  action: 'fail',
  params: { n: 1 },
  priority: 'normal',
  status: 'queued',
  attempts: 0,
  maxAttempts: 3,
  dispatch: 1,
  streamSeq: null,
  agent: null,
  result: null,
  error: null,
  progress: null,
  correlationId: 'corr-1',
  queuedAt: NOW,
  startedAt: null,
  finishedAt: null,
  ...overrides,
});
const aClaim = (overrides: Partial<TaskClaim> = {}): TaskClaim => ({
  taskId: ID,
  dispatch: 1,
  streamSeq: 7,
  ...overrides,
});
const aReport = (overrides: Partial<TaskReport> = {}): TaskReport => ({
  taskId: ID,
  dispatch: 1,
  attempt: 1,
  executionId: 'exec-1',
  outcome: 'succeeded',
  output: 'done',
  retryable: false,
  startedAt: NOW.toISOString(),
  durationMs: 5,
  ...overrides,
});

describe('claims', () => {
  it('runs a queued task as its next attempt, held by the delivered message', () => {
    const transition = claimTransition(aTask(), aClaim(), 'host:1', NOW);
    expect(transition.verdict).toEqual({ taskId: ID, verdict: 'run', attempt: 1 });
    expect(transition.change).toMatchObject({
      status: 'running',
      attempts: 1,
      streamSeq: 7,
      agent: 'host:1',
      startedAt: NOW,
    });
  });

  it('runs the held message again when it is redelivered (its agent went silent)', () => {
    const running = aTask({ status: 'running', attempts: 1, streamSeq: 7, agent: 'dead:1' });
    expect(claimTransition(running, aClaim(), 'host:2', NOW).verdict).toEqual({
      taskId: ID,
      verdict: 'run',
      attempt: 2,
    });
  });

  it('skips a second copy, an older dispatch, a finished, deferred or cancelled task', () => {
    const running = aTask({ status: 'running', attempts: 1, streamSeq: 7 });
    expect(claimTransition(running, aClaim({ streamSeq: 9 }), 'h', NOW).verdict.verdict).toBe(
      'skip',
    );
    expect(claimTransition(aTask({ dispatch: 2 }), aClaim(), 'h', NOW).verdict.verdict).toBe(
      'skip',
    );
    for (const status of ['completed', 'failed', 'dead', 'cancelled', 'deferred'] as const) {
      expect(claimTransition(aTask({ status }), aClaim(), 'h', NOW).verdict.verdict).toBe('skip');
    }
    expect(claimTransition(undefined, aClaim(), 'h', NOW).verdict.verdict).toBe('skip');
  });

  it('kills a task redelivered after its last attempt went silent, with one dead letter', () => {
    const running = aTask({ status: 'running', attempts: 3, streamSeq: 7, agent: 'dead:1' });
    const transition = claimTransition(running, aClaim(), 'host:2', NOW);
    expect(transition.verdict.verdict).toBe('dead');
    expect(transition.change).toMatchObject({ status: 'dead', finishedAt: NOW });
    expect(transition.deadLetter?.letter).toMatchObject({ taskId: ID, attempts: 3, dispatch: 1 });
    expect(transition.deadLetter?.correlationId).toBe('corr-1');
  });
});

describe('reports', () => {
  const running = aTask({ status: 'running', attempts: 1, streamSeq: 7 });

  it('completes the running attempt with its result, to be recorded', () => {
    const transition = reportTransition(running, aReport({ impactScore: 0.5 }), settings, NOW);
    expect(transition.verdict).toEqual({ taskId: ID, verdict: 'ack' });
    expect(transition.recordExecution).toBe(true);
    expect(transition.change).toMatchObject({
      status: 'completed',
      result: { output: 'done', impactScore: 0.5 },
      finishedAt: NOW,
    });
  });

  it('queues a retryable failure again with a doubling delay while attempts remain', () => {
    const failed = aReport({ outcome: 'failed', error: 'boom', retryable: true });
    const first = reportTransition(running, failed, settings, NOW);
    expect(first.verdict).toEqual({ taskId: ID, verdict: 'retry', delayMs: 1000 });
    expect(first.change).toMatchObject({ status: 'queued', error: 'boom' });
    expect(first.recordExecution).toBe(true);
    const second = reportTransition(
      aTask({ status: 'running', attempts: 2 }),
      { ...failed, attempt: 2 },
      settings,
      NOW,
    );
    expect(second.verdict).toMatchObject({ verdict: 'retry', delayMs: 2000 });
  });

  it('kills the task when the last attempt fails, with one dead letter', () => {
    const last = reportTransition(
      aTask({ status: 'running', attempts: 3 }),
      aReport({ attempt: 3, outcome: 'failed', error: 'boom', retryable: true }),
      settings,
      NOW,
    );
    expect(last.verdict.verdict).toBe('ack');
    expect(last.change).toMatchObject({ status: 'dead', error: 'boom' });
    expect(last.deadLetter?.letter).toMatchObject({ taskId: ID, error: 'boom', attempts: 3 });
  });

  it('fails at once a failure that cannot succeed on retry', () => {
    const transition = reportTransition(
      running,
      aReport({ outcome: 'failed', error: 'bad params', retryable: false }),
      settings,
      NOW,
    );
    expect(transition.change).toMatchObject({ status: 'failed', error: 'bad params' });
    expect(transition.deadLetter).toBeUndefined();
  });

  it('answers a repeated report the same way, and records it once', () => {
    const failed = aReport({ outcome: 'failed', error: 'boom', retryable: true });
    const requeued = aTask({ status: 'queued', attempts: 1, error: 'boom' });
    const again = reportTransition(requeued, failed, settings, NOW);
    expect(again.verdict).toEqual({ taskId: ID, verdict: 'retry', delayMs: 1000 });
    expect(again.change).toBeUndefined();
    expect(again.recordExecution).toBeUndefined();
    const completed = aTask({ status: 'completed', attempts: 1 });
    expect(reportTransition(completed, aReport(), settings, NOW)).toEqual({
      verdict: { taskId: ID, verdict: 'ack' },
    });
  });

  it('calls the report of an older attempt stale and records nothing of it', () => {
    const transition = reportTransition(
      aTask({ status: 'running', attempts: 2 }),
      aReport(),
      settings,
      NOW,
    );
    expect(transition).toEqual({ verdict: { taskId: ID, verdict: 'stale' } });
  });

  it('does not record a run of a task cancelled meanwhile', () => {
    const cancelled = aTask({ status: 'cancelled', attempts: 1 });
    expect(reportTransition(cancelled, aReport(), settings, NOW)).toEqual({
      verdict: { taskId: ID, verdict: 'ack' },
    });
  });
});

describe('queue faults', () => {
  it('kills an unfinished task whose message ran out of deliveries', () => {
    const transition = undeliverableTransition(
      aTask({ status: 'running', attempts: 1 }),
      1,
      20,
      NOW,
    );
    expect(transition.verdict).toBe('dead');
    expect(transition.change?.error).toBe('Delivered 20 times without an answer');
    expect(undeliverableTransition(aTask({ status: 'completed' }), 1, 20, NOW).verdict).toBe(
      'ignored',
    );
  });

  it('queues again, as a new dispatch, an unfinished task whose message was lost', () => {
    const transition = lostMessageTransition(
      aTask({ status: 'running', attempts: 1, streamSeq: 7 }),
      1,
    );
    expect(transition.change).toMatchObject({ status: 'queued', dispatch: 2, streamSeq: null });
    expect(lostMessageTransition(aTask({ dispatch: 2 }), 1).verdict).toBe('ignored');
  });
});

describe('reports of unclaimed runs', () => {
  const STARTED = new Date('2025-01-01T09:59:59.000Z');
  const unclaimed = (overrides: Partial<TaskReport> = {}) =>
    aReport({ claimed: false, streamSeq: 7, startedAt: STARTED.toISOString(), ...overrides });

  it('completes a waiting task as the attempt it ran, started when the run started', () => {
    const transition = unclaimedReportTransition(aTask(), unclaimed(), 'host:1', settings, NOW);
    expect(transition.verdict).toEqual({ taskId: ID, verdict: 'ack' });
    expect(transition.recordExecution).toBe(true);
    expect(transition.change).toMatchObject({
      status: 'completed',
      attempts: 1,
      streamSeq: 7,
      agent: 'host:1',
      startedAt: STARTED,
      finishedAt: NOW,
      result: { output: 'done' },
    });
  });

  it('queues a retryable failure again, its attempt counted', () => {
    const transition = unclaimedReportTransition(
      aTask(),
      unclaimed({ outcome: 'failed', error: 'flaky', retryable: true }),
      'host:1',
      settings,
      NOW,
    );
    expect(transition.verdict).toEqual({ taskId: ID, verdict: 'retry', delayMs: 1000 });
    expect(transition.change).toMatchObject({ status: 'queued', attempts: 1, error: 'flaky' });
  });

  it('leaves a task cancelled meanwhile as it is, and acks the message', () => {
    const transition = unclaimedReportTransition(
      aTask({ status: 'cancelled', finishedAt: NOW }),
      unclaimed(),
      'host:1',
      settings,
      NOW,
    );
    expect(transition).toEqual({ verdict: { taskId: ID, verdict: 'ack' } });
  });

  it('calls the report stale when another attempt began since the delivery', () => {
    const transition = unclaimedReportTransition(
      aTask({ attempts: 1 }),
      unclaimed(),
      'host:1',
      settings,
      NOW,
    );
    expect(transition).toEqual({ verdict: { taskId: ID, verdict: 'stale' } });
  });
});
