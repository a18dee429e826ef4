import { ErrorCode } from '@jarvis/contracts';
import { decodeCursor, encodeCursor } from './task-cursor';

describe('task cursor', () => {
  it('survives a round trip', () => {
    const cursor = {
      createdAt: '2025-01-01T10:00:00.123456Z',
      id: '6648f318-61d1-48e0-85e3-c64f4753a019',
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    'nope',
    Buffer.from('x|y').toString('base64url'),
    Buffer.from("2025-01-01T10:00:00.123456Z|1'; DROP").toString('base64url'),
  ])('rejects %s as a validation error', (text) => {
    expect(() => decodeCursor(text)).toThrow(
      expect.objectContaining({ code: ErrorCode.ValidationFailed }),
    );
  });
});
