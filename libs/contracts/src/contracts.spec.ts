import { isValidCorrelationId } from './correlation';
import { ErrorCode } from './error-codes';
import { JarvisError, NotFoundError } from './jarvis-error';

describe('correlation IDs', () => {
  it.each(['test-123', 'a', 'A.b_c:d-e', 'x'.repeat(128)])('accepts %s', (id) => {
    expect(isValidCorrelationId(id)).toBe(true);
  });

  it.each(['', 'x'.repeat(129), 'has space', 'semi;colon', 'ünicode', undefined, 42])(
    'rejects %p',
    (id) => {
      expect(isValidCorrelationId(id)).toBe(false);
    },
  );
});

describe(JarvisError.name, () => {
  it('survives a trip through its payload with code, message and details', () => {
    const original = new NotFoundError('no such thing', { id: 7 });
    const rebuilt = JarvisError.fromPayload(JSON.parse(JSON.stringify(original.toPayload())));
    expect(rebuilt.code).toBe(ErrorCode.NotFound);
    expect(rebuilt.message).toBe('no such thing');
    expect(rebuilt.details).toEqual({ id: 7 });
  });

  it('turns an unknown payload into an internal error', () => {
    expect(JarvisError.fromPayload({ status: 'error', message: 'boom' }).code).toBe(
      ErrorCode.Internal,
    );
    expect(JarvisError.fromPayload('nope').code).toBe(ErrorCode.Internal);
  });
});
