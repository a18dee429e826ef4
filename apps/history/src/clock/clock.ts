import { Injectable } from '@nestjs/common';

/** The time as history sees it; tests replace it to move windows and retention cut-offs. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
