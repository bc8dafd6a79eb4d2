import { Module } from '@nestjs/common';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconcilerService } from './reconciler.service.js';

/** Checks that every notifiable event's deliveries end sent or dead in time, and reports those that do not. */
@Module({
  controllers: [ReconciliationController],
  providers: [ReconcilerService],
  exports: [ReconcilerService],
})
export class ReconcilerModule {}
