import { type DynamicModule, Global, Module } from '@nestjs/common';
import { QueueName } from '@shanhai/contracts';
import { DirectoryReplica1764232000000, directoryReplicaEntities, DirectorySupervisors1764232900000, PlatformModule } from '@shanhai/platform';
import { AuditEntry } from './audit/audit-entry.entity.js';
import { WORKFLOW_CONFIG, type WorkflowConfig } from './config.js';
import { CalendarsModule } from './calendars/calendars.module.js';
import { WorkingCalendarRow } from './calendars/working-calendar.entity.js';
import { Deadline } from './instances/deadline.entity.js';
import { PublishedDefinition } from './definitions/definition.entity.js';
import { Instance } from './instances/instance.entity.js';
import { InstancesModule } from './instances/instances.module.js';
import { Task } from './instances/task.entity.js';
import { Revision } from './instances/revision.entity.js';
import { Instances1764230600000 } from './migrations/1764230600000-instances.js';
import { AuditEntries1764230700000 } from './migrations/1764230700000-audit-entries.js';
import { WorkflowAppRole1764230800000 } from './migrations/1764230800000-workflow-app-role.js';
import { Definitions1764230900000 } from './migrations/1764230900000-definitions.js';
import { Engine1764231100000 } from './migrations/1764231100000-engine.js';
import { TaskRevisions1764231200000 } from './migrations/1764231200000-task-revisions.js';
import { AuditAccounts1764232100000 } from './migrations/1764232100000-audit-accounts.js';
import { AuditChains1764232200000 } from './migrations/1764232200000-audit-chains.js';
import { Withdrawals1764231000000 } from './migrations/1764231000000-withdrawals.js';
import { WorkingCalendars1764232300000 } from './migrations/1764232300000-working-calendars.js';
import { Deadlines1764232400000 } from './migrations/1764232400000-deadlines.js';
import { Digests1764232700000 } from './migrations/1764232700000-digests.js';
import { DefinitionTimeLimits1764232800000 } from './migrations/1764232800000-definition-time-limits.js';
import { DigestModule } from './digest/digest.module.js';
import { DeadlineTimers1764232600000 } from './migrations/1764232600000-deadline-timers.js';

export const entities = [Instance, Task, Revision, AuditEntry, PublishedDefinition, WorkingCalendarRow, Deadline, ...directoryReplicaEntities];
export const migrations = [Instances1764230600000, AuditEntries1764230700000, WorkflowAppRole1764230800000, Definitions1764230900000, Withdrawals1764231000000, Engine1764231100000, TaskRevisions1764231200000, DirectoryReplica1764232000000, AuditAccounts1764232100000, AuditChains1764232200000, WorkingCalendars1764232300000, Deadlines1764232400000, DeadlineTimers1764232600000, Digests1764232700000, DefinitionTimeLimits1764232800000, DirectorySupervisors1764232900000];

@Global()
@Module({})
export class AppModule {
  static forConfig(config: WorkflowConfig, options: { synchronize?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ config, entities, migrations, consumes: [QueueName.Workflow, QueueName.WorkflowTimers, QueueName.WorkflowDigest], authentication: true, ...options }), InstancesModule, CalendarsModule, DigestModule],
      // The workflow settings (audit checkpoints, signing keys) for every feature that reads them.
      providers: [{ provide: WORKFLOW_CONFIG, useValue: config }],
      exports: [WORKFLOW_CONFIG],
    };
  }
}
