import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { DefinitionsModule } from '../definitions/definitions.module.js';
import { InstancesController } from './instances.controller.js';
import { InstancesService } from './instances.service.js';
import { SubmissionSubmittedProcessor } from './submission-submitted.processor.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [AuditModule, DefinitionsModule],
  controllers: [TasksController, InstancesController],
  providers: [InstancesService, TasksService, SubmissionSubmittedProcessor],
})
export class InstancesModule {}
