import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { DeadlinesModule } from '../deadlines/deadlines.module.js';
import { DefinitionsModule } from '../definitions/definitions.module.js';
import { DeadlineRecompute } from './deadline-recompute.service.js';
import { DeadlineTimerProcessor } from './deadline-timer.processor.js';
import { TimerHelpers } from './deadline-timer-helpers.js';
import { DeadlineTimers } from './deadline-timers.service.js';
import { InstancesController } from './instances.controller.js';
import { InstanceCommands } from './instance-commands.service.js';
import { InstanceQueries } from './instance-queries.service.js';
import { InstanceStore } from './instance-store.js';
import { StepParties } from './step-parties.js';
import { SubmissionSubmittedProcessor } from './submission-submitted.processor.js';
import { SubmissionUrgedHandler } from './submission-urged.handler.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [AuditModule, DefinitionsModule, DeadlinesModule],
  controllers: [TasksController, InstancesController],
  providers: [DeadlineRecompute, DeadlineTimers, TimerHelpers, DeadlineTimerProcessor, InstanceCommands, InstanceQueries, InstanceStore, StepParties, TasksService, SubmissionSubmittedProcessor, SubmissionUrgedHandler],
})
export class InstancesModule {}
