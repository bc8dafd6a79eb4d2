import { type DynamicModule, Module } from '@nestjs/common';
import { QueueName } from '@shanhai/contracts';
import { PlatformModule, type ServiceConfig } from '@shanhai/platform';
import { InstanceEventRecord } from './instances/instance-event.entity.js';
import { Instance } from './instances/instance.entity.js';
import { InstancesModule } from './instances/instances.module.js';
import { Task } from './instances/task.entity.js';
import { Instances1764230600000 } from './migrations/1764230600000-instances.js';

export const entities = [Instance, Task, InstanceEventRecord];
export const migrations = [Instances1764230600000];

@Module({})
export class AppModule {
  static forConfig(config: ServiceConfig, options: { synchronize?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ config, entities, migrations, consumes: [QueueName.Workflow], authentication: true, ...options }), InstancesModule],
    };
  }
}
