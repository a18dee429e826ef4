import { Logger } from '@nestjs/common';
import { ExecutionRecord } from '@jarvis/contracts';
import { MetricsService } from '@jarvis/observability';
import { JetStreamService, PublishRetrySettings } from '@jarvis/messaging';
import { ExecutionRecordPublisher } from './execution-record.publisher';
import { failedExecution, succeededExecution } from './execution-record.factory';

/** A stream that refuses the first `failures` publishes. */
class FlakyStream {
  readonly published: { subject: string; payload: unknown; messageId?: string }[] = [];
  calls = 0;

  constructor(private failures: number) {}

  publish(subject: string, payload: unknown, messageId?: string): Promise<unknown> {
    this.calls += 1;
    if (this.failures-- > 0) return Promise.reject(new Error('NATS hiccup'));
    this.published.push({ subject, payload, messageId });
    return Promise.resolve({ duplicate: false });
  }
}

const retry: PublishRetrySettings = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxPending: 2 };

const aRun = (overrides: Partial<Parameters<typeof succeededExecution>[0]> = {}) => ({
  executionId: 'exec-1',
  domain: 'diagnostics',
  action: 'ping',
  parameters: { ms: 5 },
  startedAt: new Date('2025-01-01T10:00:00.000Z'),
  durationMs: 5.4,
  ...overrides,
});

describe(ExecutionRecordPublisher.name, () => {
  let errors: unknown[][];

  const publisherOn = (stream: FlakyStream) =>
    new ExecutionRecordPublisher(
      stream as unknown as JetStreamService,
      { shutdownTimeoutMs: 1000 },
      new MetricsService(),
      retry,
    );

  beforeEach(() => {
    errors = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args);
    });
  });

  afterEach(() => jest.restoreAllMocks());

  it('publishes on the domain subject with the execution id as message id', async () => {
    const stream = new FlakyStream(0);
    const publisher = publisherOn(stream);
    publisher.publish(succeededExecution(aRun(), 0.5));
    await publisher.settled();
    expect(stream.published).toEqual([
      {
        subject: 'history.executions.v1.diagnostics',
        messageId: 'exec-1',
        payload: expect.objectContaining({
          executionId: 'exec-1',
          durationMs: 5,
          impactScore: 0.5,
        }),
      },
    ]);
  });

  it('retries a refused publish without making the caller wait or fail', async () => {
    const stream = new FlakyStream(2);
    const publisher = publisherOn(stream);
    expect(() => publisher.publish(failedExecution(aRun(), new Error('boom')))).not.toThrow();
    expect(stream.published).toHaveLength(0);
    await publisher.settled();
    expect(stream.calls).toBe(3);
    expect(stream.published).toHaveLength(1);
    expect(errors).toHaveLength(0);
  });

  it('logs the whole record at error level when every try failed', async () => {
    const stream = new FlakyStream(10);
    const publisher = publisherOn(stream);
    const record = succeededExecution(aRun(), undefined);
    publisher.publish(record);
    await publisher.settled();
    expect(stream.calls).toBe(3);
    expect(errors).toEqual([
      [expect.objectContaining({ record }), 'Execution record not published after 3 tries'],
    ]);
  });

  it('refuses, and logs, records beyond the pending bound or not valid', async () => {
    const stream = new FlakyStream(0);
    const publisher = publisherOn(stream);
    for (const id of ['a', 'b', 'c'])
      publisher.publish(succeededExecution(aRun({ executionId: id }), 1));
    publisher.publish({
      ...succeededExecution(aRun({ executionId: 'd' }), 1),
      domain: 'Not A Domain',
    });
    await publisher.settled();
    expect(stream.published.map((p) => p.messageId)).toEqual(['a', 'b']);
    expect(
      errors.map((args) => (args[0] as { record: ExecutionRecord }).record.executionId),
    ).toEqual(['c', 'd']);
  });

  it('keeps only an impact score in 0..1 and the error message of a failure', () => {
    expect(succeededExecution(aRun(), 7).impactScore).toBeNull();
    expect(succeededExecution(aRun(), '0.5').impactScore).toBeNull();
    expect(failedExecution(aRun(), new Error('nope'))).toMatchObject({
      success: false,
      error: 'nope',
      impactScore: null,
      taskId: null,
      phase: 'execute',
      createdAt: '2025-01-01T10:00:00.000Z',
    });
  });
});
