import { type DynamicModule, Global, Module } from '@nestjs/common';
import { QueueName } from '@shanhai/contracts';
import { DirectoryReplica1764232000000, directoryReplicaEntities, DirectorySupervisors1764232900000, PlatformModule } from '@shanhai/platform';
import { NOTIFIER_CONFIG, type NotifierConfig } from './config.js';
import { Delivery } from './deliveries/delivery.entity.js';
import { Deliveries1764230700000 } from './migrations/1764230700000-deliveries.js';
import { DeliveryDeadLetters1764231600000 } from './migrations/1764231600000-delivery-dead-letters.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PreferencesAndReconciliation1764231700000 } from './migrations/1764231700000-preferences-and-reconciliation.js';
import { SubmissionAudience1764231800000 } from './migrations/1764231800000-submission-audience.js';
import { NotificationPreference, SubmissionWatcher } from './preferences/preference.entities.js';
import { PreferencesModule } from './preferences/preferences.module.js';
import { NotifiedEvent } from './reconciler/notified-event.entity.js';
import { ReconcilerModule } from './reconciler/reconciler.module.js';

export const entities = [Delivery, NotificationPreference, SubmissionWatcher, NotifiedEvent, ...directoryReplicaEntities];
export const migrations = [Deliveries1764230700000, DeliveryDeadLetters1764231600000, PreferencesAndReconciliation1764231700000, SubmissionAudience1764231800000, DirectoryReplica1764232000000, DirectorySupervisors1764232900000];

@Global()
@Module({})
export class AppModule {
  static forConfig(config: NotifierConfig, options: { synchronize?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ config, entities, migrations, consumes: [QueueName.Notifier, QueueName.NotifierDeliveries], authentication: true, ...options }),
        NotificationsModule,
        PreferencesModule,
        ReconcilerModule,
      ],
      providers: [{ provide: NOTIFIER_CONFIG, useValue: config }],
      exports: [NOTIFIER_CONFIG],
    };
  }
}
