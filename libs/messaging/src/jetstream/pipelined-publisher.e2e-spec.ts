import { TEST_NATS_URL, uniqueSubjectPrefix } from '@jarvis/testing';
import { NatsConnectionHolder } from '../nats-connection';
import { SubjectNamer } from '../subject-namer';
import { JetStreamService } from './jetstream.service';
import { PipelinedPublisher, StreamAck } from './pipelined-publisher';

describe(PipelinedPublisher.name, () => {
  const namer = new SubjectNamer(uniqueSubjectPrefix());
  const connection = new NatsConnectionHolder({ servers: [TEST_NATS_URL], name: 'pipelined-test' });
  const bytes = (text: string) => new TextEncoder().encode(text);
  let jetStream: JetStreamService;
  let publisher: PipelinedPublisher;

  beforeAll(async () => {
    await connection.connect();
    jetStream = new JetStreamService(connection, namer);
    await jetStream.ensureStream({
      name: 'PIPELINED',
      subjects: ['pipelined.>'],
      retention: 'limits',
      maxAgeMs: 600_000,
    });
    publisher = new PipelinedPublisher(connection, namer, 2000);
    publisher.start();
  });

  afterAll(async () => {
    publisher.stop();
    const jsm = await jetStream.jsm();
    await jsm.streams.delete(namer.streamName('PIPELINED'));
    await connection.onApplicationShutdown();
  });

  it('answers each of many pipelined messages with its own stream sequence', async () => {
    const acks = await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        publisher.publish('pipelined.many', bytes(`{"n":${n}}`), { messageId: `many-${n}` }),
      ),
    );
    const sequences = acks.map((ack) => ack.seq);
    expect(new Set(sequences).size).toBe(200);
    expect(acks.some((ack) => ack.duplicate)).toBe(false);
    const jsm = await jetStream.jsm();
    const stored = await jsm.streams.getMessage(namer.streamName('PIPELINED'), {
      seq: sequences[17],
    });
    expect(new TextDecoder().decode(stored.data)).toBe('{"n":17}');
  });

  it('calls back once per message sent, after send returned, and flags a repeated id', async () => {
    const answers: { error: Error | undefined; ack?: StreamAck }[] = [];
    let returned = false;
    const sent = new Promise<void>((resolve) => {
      for (const id of ['once', 'once']) {
        publisher.send('pipelined.callback', bytes('{}'), { messageId: id }, (error, ack) => {
          expect(returned).toBe(true);
          answers.push({ error, ack });
          if (answers.length === 2) resolve();
        });
      }
      returned = true;
    });
    await sent;
    expect(answers.map(({ error }) => error)).toEqual([undefined, undefined]);
    expect(answers.map(({ ack }) => ack?.duplicate)).toEqual([false, true]);
    expect(answers[1].ack?.seq).toBe(answers[0].ack?.seq);
  });

  it('fails a message no stream takes', async () => {
    await expect(publisher.publish('nowhere.at.all', bytes('{}'))).rejects.toThrow(
      /No stream stored the message/,
    );
    const error = await new Promise<Error | undefined>((resolve) =>
      publisher.send('nowhere.at.all', bytes('{}'), {}, (failure) => resolve(failure)),
    );
    expect(error?.message).toMatch(/No stream stored the message/);
  });
});
