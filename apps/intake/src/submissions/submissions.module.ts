import { Module } from '@nestjs/common';
import { ReviewProgressProcessor } from './review-progress.processor.js';
import { SubmissionsService } from './submissions.service.js';
import { ZonePlansController } from './zone-plans.controller.js';

@Module({
  controllers: [ZonePlansController],
  providers: [SubmissionsService, ReviewProgressProcessor],
})
export class SubmissionsModule {}
