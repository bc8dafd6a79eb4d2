import { Module } from '@nestjs/common';
import { DefinitionsController } from '../definitions/definitions.controller.js';
import { InstancesController } from './instances.controller.js';
import { InstancesService } from './instances.service.js';
import { SubmissionSubmittedProcessor } from './submission-submitted.processor.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

@Module({
  controllers: [TasksController, InstancesController, DefinitionsController],
  providers: [InstancesService, TasksService, SubmissionSubmittedProcessor],
})
export class InstancesModule {}
