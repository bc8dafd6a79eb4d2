import { type DynamicModule, Global, Module } from '@nestjs/common';
import { QueueName } from '@shanhai/contracts';
import { PlatformModule } from '@shanhai/platform';
import { NOTIFIER_CONFIG, type NotifierConfig } from './config.js';
import { Delivery } from './deliveries/delivery.entity.js';
import { Deliveries1764230700000 } from './migrations/1764230700000-deliveries.js';
import { NotificationsModule } from './notifications/notifications.module.js';

export const entities = [Delivery];
export const migrations = [Deliveries1764230700000];

@Global()
@Module({})
export class AppModule {
  static forConfig(config: NotifierConfig, options: { synchronize?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ config, entities, migrations, consumes: [QueueName.Notifier, QueueName.NotifierDeliveries], authentication: true, ...options }),
        NotificationsModule,
      ],
      providers: [{ provide: NOTIFIER_CONFIG, useValue: config }],
      exports: [NOTIFIER_CONFIG],
    };
  }
}
