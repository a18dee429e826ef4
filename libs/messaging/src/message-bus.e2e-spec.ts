import { Catch, Controller, INestMicroservice, Module, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CORRELATION_HEADER,
  defineRequest,
  DownstreamTimeoutError,
  DownstreamUnavailableError,
  ErrorCode,
  NotFoundError,
} from '@jarvis/contracts';
import { MetricsService } from '@jarvis/observability';
import { TEST_NATS_URL, uniqueSubjectPrefix } from '@jarvis/testing';
import { JarvisNatsServer } from './jarvis-nats.server';
import { MessageBus } from './message-bus';
import { NatsConnectionHolder } from './nats-connection';
import { SubjectNamer } from './subject-namer';

const Echo = defineRequest<{ text: string }, { text: string; correlationId: string | undefined }>(
  'test.echo.v1',
);
const Missing = defineRequest<{ id: string }, never>('test.missing.v1');
const Slow = defineRequest<{ ms: number }, { done: true }>('test.slow.v1');
const Nobody = defineRequest<Record<string, never>, never>('test.nobody.v1');

@Controller()
class TestHandlers {
  @MessagePattern(Echo.subject)
  echo(@Payload() data: { text: string }, @Ctx() context: NatsContext) {
    return { text: data.text, correlationId: context.getHeaders()?.get(CORRELATION_HEADER) };
  }

  @MessagePattern(Missing.subject)
  missing(@Payload() data: { id: string }) {
    throw new NotFoundError(`no ${data.id}`);
  }

  @MessagePattern(Slow.subject)
  async slow(@Payload() data: { ms: number }) {
    await delay(data.ms);
    return { done: true };
  }
}

@Catch(NotFoundError)
class PayloadFilter implements RpcExceptionFilter<NotFoundError> {
  catch(error: NotFoundError): Observable<never> {
    return throwError(() => error.toPayload());
  }
}

@Module({ controllers: [TestHandlers] })
class TestHandlersModule {}

describe(MessageBus.name, () => {
  const prefix = uniqueSubjectPrefix();
  let server: INestMicroservice;
  let connection: NatsConnectionHolder;
  let bus: MessageBus;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TestHandlersModule] }).compile();
    server = moduleRef.createNestMicroservice({
      strategy: new JarvisNatsServer({
        servers: [TEST_NATS_URL],
        queue: 'test',
        name: 'test-server',
        subjectPrefix: prefix,
        shutdownTimeoutMs: 2000,
      }),
    });
    // Domain errors cross as their payload, the way the runtime's exception filter sends them.
    server.useGlobalFilters(new PayloadFilter());
    await server.listen();
    connection = new NatsConnectionHolder({ servers: [TEST_NATS_URL], name: 'test-client' });
    await connection.connect();
    bus = new MessageBus(connection, new SubjectNamer(prefix), 1000, new MetricsService());
  });

  afterAll(async () => {
    await connection.onApplicationShutdown();
    await server.close();
  });

  it('gets an answer and carries a correlation ID header', async () => {
    const reply = await bus.request(Echo, { text: 'hi' });
    expect(reply.text).toBe('hi');
    expect(reply.correlationId).toEqual(expect.any(String));
  });

  it('rebuilds a typed error from the answer', async () => {
    await expect(bus.request(Missing, { id: 'x' })).rejects.toMatchObject({
      code: ErrorCode.NotFound,
      message: 'no x',
    });
  });

  it('maps a slow answer to a timeout and a missing app to unavailable', async () => {
    await expect(bus.request(Slow, { ms: 500 }, { timeoutMs: 100 })).rejects.toBeInstanceOf(
      DownstreamTimeoutError,
    );
    await expect(bus.request(Nobody, {})).rejects.toBeInstanceOf(DownstreamUnavailableError);
  });

  it('gathers the answers of every responder, errors apart', async () => {
    await expect(bus.gather(Echo, { text: 'all' }, 1, 500)).resolves.toEqual({
      replies: [{ text: 'all', correlationId: expect.any(String) }],
      failures: [],
    });
    const missing = await bus.gather(Missing, { id: 'y' }, 1, 500);
    expect(missing.replies).toEqual([]);
    expect(missing.failures).toEqual([
      expect.objectContaining({ code: ErrorCode.NotFound, message: 'no y' }),
    ]);
  });

  it('is not heard under another prefix', async () => {
    const other = new MessageBus(
      connection,
      new SubjectNamer(uniqueSubjectPrefix()),
      300,
      new MetricsService(),
    );
    await expect(other.request(Echo, { text: 'hi' })).rejects.toBeInstanceOf(
      DownstreamUnavailableError,
    );
  });
});
