import { headers } from 'nats';
import { encodedHeaders } from './encoded-headers';

/** What nats.js's publish calls on the headers it is given. */
const blockOf = (hdrs: unknown) =>
  Buffer.from((hdrs as { encode(): Uint8Array }).encode()).toString();

describe(encodedHeaders.name, () => {
  it('writes the same header block as nats.js', () => {
    const reference = headers();
    reference.set('Nats-Msg-Id', 'task-1:2');
    reference.set('x-correlation-id', 'corr-9');
    const ours = encodedHeaders([
      ['Nats-Msg-Id', 'task-1:2'],
      ['x-correlation-id', 'corr-9'],
    ]);
    expect(blockOf(ours)).toBe(blockOf(reference));
  });

  it('writes a version line, one line per header and a blank line', () => {
    expect(blockOf(encodedHeaders([['Nats-Msg-Id', 'x']]))).toBe(
      'NATS/1.0\r\nNats-Msg-Id: x\r\n\r\n',
    );
  });

  it('refuses a value that would end the header block early', () => {
    expect(() => encodedHeaders([['Nats-Msg-Id', 'a\r\nb']])).toThrow('line break');
  });
});
