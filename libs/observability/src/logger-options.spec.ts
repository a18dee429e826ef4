import pino from 'pino';
import { Writable } from 'node:stream';
import { buildLoggerOptions } from './logger-options';

function capture(): { lines: Record<string, unknown>[]; raw: string[]; stream: Writable } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  return {
    raw,
    stream,
    get lines() {
      return raw.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
  };
}

describe(buildLoggerOptions.name, () => {
  it('writes JSON lines with time, level label, service and msg', () => {
    const out = capture();
    pino(buildLoggerOptions({ service: 'gateway', level: 'info' }), out.stream).info('hello');
    expect(out.lines[0]).toEqual(
      expect.objectContaining({
        level: 'info',
        service: 'gateway',
        msg: 'hello',
        time: expect.any(String),
      }),
    );
    expect(new Date(out.lines[0].time as string).toISOString()).toBe(out.lines[0].time);
  });

  it('honours the level', () => {
    const out = capture();
    const logger = pino(buildLoggerOptions({ service: 'history', level: 'warn' }), out.stream);
    logger.info('quiet');
    logger.warn('loud');
    expect(out.lines.map((line) => line.msg)).toEqual(['loud']);
  });

  it('never writes authorization headers, API keys, passwords or connection strings', () => {
    const out = capture();
    pino(buildLoggerOptions({ service: 'gateway', level: 'info' }), out.stream).info(
      {
        req: { headers: { authorization: 'Bearer s3cret-bearer', 'x-api-key': 's3cret-key' } },
        password: 's3cret-password',
        config: { databaseUrl: 'postgres://u:s3cret-db@h/db', apiKey: 's3cret-provider' },
      },
      'request',
    );
    expect(out.raw.join('')).not.toMatch(/s3cret/);
    expect(out.raw.join('')).toContain('[redacted]');
  });
});
