import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { DigestProcessor } from './digest.processor.js';
import { DigestService } from './digest.service.js';

/** The daily digest (每日待办) of each reviewing organisation's pending tasks. */
@Module({
  imports: [CalendarsModule],
  providers: [DigestService, DigestProcessor],
  exports: [DigestService],
})
export class DigestModule {}
