import { Module } from '@nestjs/common';
import { AuditCheckpoints } from './audit-checkpoints.service.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditCheckpoints],
  exports: [AuditService, AuditCheckpoints],
})
export class AuditModule {}
