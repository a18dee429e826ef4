import { randomUUID } from 'node:crypto';
import { CLS_ID, ClsServiceManager } from 'nestjs-cls';
import { isValidCorrelationId } from '@jarvis/contracts';

/** Runs `work` in an async context carrying the task's correlation ID, so its logs and messages carry it. */
export function withCorrelationId<T>(correlationId: string | null | undefined, work: () => T): T {
  const cls = ClsServiceManager.getClsService();
  return cls.run(() => {
    cls.set(CLS_ID, isValidCorrelationId(correlationId) ? correlationId : randomUUID());
    return work();
  });
}
