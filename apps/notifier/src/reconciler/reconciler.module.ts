import { Module } from '@nestjs/common';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconcilerService } from './reconciler.service.js';
import { loadReconcilerSettings, RECONCILER_SETTINGS } from './reconciler.settings.js';

/** Checks that every notifiable event's deliveries end sent or dead in time, and reports those that do not. */
@Module({
  controllers: [ReconciliationController],
  providers: [ReconcilerService, { provide: RECONCILER_SETTINGS, useFactory: () => loadReconcilerSettings(process.env) }],
  exports: [ReconcilerService],
})
export class ReconcilerModule {}
