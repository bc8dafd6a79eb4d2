import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { SubmissionsModule } from '../submissions/submissions.module.js';
import { EventReportsController } from './event-reports.controller.js';
import { EventReportsService } from './event-reports.service.js';
import { PromotionEventsController } from './promotion-events.controller.js';
import { PromotionEventsService } from './promotion-events.service.js';

/** Investment-promotion events (招商推介会) and their reports. Needs SubmissionsModule to export SubmissionsService. */
@Module({
  imports: [SubmissionsModule, DirectoryModule],
  controllers: [PromotionEventsController, EventReportsController],
  providers: [PromotionEventsService, EventReportsService],
})
export class PromotionEventsModule {}
