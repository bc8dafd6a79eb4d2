import { type DynamicModule, Module } from '@nestjs/common';
import { QueueName } from '@shanhai/contracts';
import { PlatformModule, type ServiceConfig } from '@shanhai/platform';
import { Submissions1764230500000 } from './migrations/1764230500000-submissions.js';
import { Submission } from './submissions/submission.entity.js';
import { SubmissionsModule } from './submissions/submissions.module.js';
import { TimelineEntry } from './submissions/timeline-entry.entity.js';

export const entities = [Submission, TimelineEntry];
export const migrations = [Submissions1764230500000];

@Module({})
export class AppModule {
  static forConfig(config: ServiceConfig, options: { synchronize?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ config, entities, migrations, consumes: [QueueName.Intake], ...options }), SubmissionsModule],
    };
  }
}
