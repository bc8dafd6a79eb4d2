import { Module } from '@nestjs/common';
import { DeliveriesController } from '../deliveries/deliveries.controller.js';
import { DeliveriesService } from '../deliveries/deliveries.service.js';
import { DeliveryProcessor } from '../deliveries/delivery.processor.js';
import { Mailer } from '../deliveries/mailer.js';
import { PreferencesModule } from '../preferences/preferences.module.js';
import { DigestNotifications } from './digest.service.js';
import { NotificationsService } from './notifications.service.js';
import { WorkflowEventsProcessor } from './workflow-events.processor.js';

@Module({
  imports: [PreferencesModule],
  controllers: [DeliveriesController],
  providers: [NotificationsService, DigestNotifications, WorkflowEventsProcessor, DeliveriesService, DeliveryProcessor, Mailer],
})
export class NotificationsModule {}
