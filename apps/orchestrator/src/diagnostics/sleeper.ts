import { Injectable } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';

/** Waiting, behind a class so tests need not wait. An aborted signal ends the wait with its reason. */
@Injectable()
export class Sleeper {
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return delay(ms, undefined, { signal });
  }
}
