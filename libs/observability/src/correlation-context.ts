import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ClsService, ClsServiceManager, CLS_ID } from 'nestjs-cls';
import { isValidCorrelationId } from '@jarvis/contracts';

/** The caller's correlation ID when valid, otherwise a new one. */
export function correlationIdFrom(candidate: unknown): string {
  return isValidCorrelationId(candidate) ? candidate : randomUUID();
}

/** The correlation ID of the current async context, if any (usable outside Nest's container). */
export function currentCorrelationId(): string | undefined {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? (cls.getId() as string | undefined) : undefined;
}

/**
 * Reads and scopes the correlation ID held in AsyncLocalStorage.
 * Set at the HTTP edge, restored from NATS headers; nothing passes it by hand.
 */
@Injectable()
export class CorrelationContext {
  constructor(private readonly cls: ClsService) {}

  currentId(): string | undefined {
    return this.cls.isActive() ? (this.cls.getId() as string | undefined) : undefined;
  }

  /** Runs `work` in a fresh context carrying `correlationId` (or a new one). */
  run<T>(correlationId: string | undefined, work: () => T): T {
    return this.cls.run(() => {
      this.cls.set(CLS_ID, correlationIdFrom(correlationId));
      return work();
    });
  }
}
