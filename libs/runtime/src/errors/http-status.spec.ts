import { ErrorCode } from '@jarvis/contracts';
import { errorCodeOfStatus, httpStatusOf } from './http-status';

describe(httpStatusOf.name, () => {
  it.each([
    [ErrorCode.ValidationFailed, 400],
    [ErrorCode.Unauthorized, 401],
    [ErrorCode.Forbidden, 403],
    [ErrorCode.NotFound, 404],
    [ErrorCode.Conflict, 409],
    [ErrorCode.ActionFailed, 422],
    [ErrorCode.CircuitOpen, 503],
    [ErrorCode.DownstreamUnavailable, 503],
    [ErrorCode.DownstreamTimeout, 504],
    [ErrorCode.BudgetExceeded, 402],
    [ErrorCode.Internal, 500],
  ])('maps %s to %d', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });

  it('maps every code, and back for the statuses Nest raises itself', () => {
    for (const code of Object.values(ErrorCode))
      expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
    expect(errorCodeOfStatus(400)).toBe(ErrorCode.ValidationFailed);
    expect(errorCodeOfStatus(404)).toBe(ErrorCode.NotFound);
    expect(errorCodeOfStatus(500)).toBe(ErrorCode.Internal);
  });
});
