import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

export const TEST_NATS_URL =
  process.env.TEST_NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A NATS subject prefix of its own for one test file, so runs never hear each other. */
export function uniqueSubjectPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** A response body as a test reads it: loosely typed on purpose, assertions check the shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

export function readJson(response: Response): Promise<JsonBody> {
  return response.json() as Promise<JsonBody>;
}
