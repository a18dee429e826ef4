import { Injectable } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';

/** Waiting, behind a class so tests need not wait. */
@Injectable()
export class Sleeper {
  sleep(ms: number): Promise<void> {
    return delay(ms);
  }
}
