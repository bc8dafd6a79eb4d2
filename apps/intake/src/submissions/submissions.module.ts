import { Module } from '@nestjs/common';
import { AttachmentInventoryModule } from '../attachments/attachment-inventory.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { ReviewProgressProcessor } from './review-progress.processor.js';
import { ReviewProgressService } from './review-progress.service.js';
import { SubmissionsService } from './submissions.service.js';
import { UrgesService } from './urges.service.js';
import { ZonePlansController } from './zone-plans.controller.js';
import { ZonePlansService } from './zone-plans.service.js';

@Module({
  imports: [AttachmentInventoryModule, DirectoryModule],
  controllers: [ZonePlansController],
  providers: [SubmissionsService, ZonePlansService, ReviewProgressService, ReviewProgressProcessor, UrgesService],
  exports: [SubmissionsService, UrgesService],
})
export class SubmissionsModule {}
