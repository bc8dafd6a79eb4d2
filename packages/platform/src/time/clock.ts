import { Injectable } from '@nestjs/common';

/**
 * What time it is, injected: code that decides by the time (deadlines, reminders, digests) asks
 * the Clock, never `new Date()`, so specs move time instead of sleeping.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** The machine's time: what every service runs on. */
@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock a spec sets and moves; it stands still in between. */
export class ManualClock extends Clock {
  private current: number;

  constructor(start: Date | string = new Date()) {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}
