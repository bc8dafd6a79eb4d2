import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { DeadlineClocks } from './deadline-clocks.service.js';

/** The clocks' calendar side: due dates computed on the loaded calendars, and the alert when a year is missing. */
@Module({
  imports: [CalendarsModule],
  providers: [DeadlineClocks],
  exports: [DeadlineClocks, CalendarsModule],
})
export class DeadlinesModule {}
