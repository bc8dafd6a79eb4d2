import { Module } from '@nestjs/common';
import { ATTACHMENT_INVENTORY } from '../submissions/submissions.service.js';
import { CurrentAttachments } from './attachment-inventory.js';

/**
 * Only the inventory, with no dependency of its own: SubmissionsModule imports it (SubmissionsService
 * checks attachments on submit) while AttachmentsModule imports SubmissionsModule (access checks),
 * so neither needs the other's module and no forwardRef is needed.
 */
@Module({
  providers: [{ provide: ATTACHMENT_INVENTORY, useClass: CurrentAttachments }],
  exports: [ATTACHMENT_INVENTORY],
})
export class AttachmentInventoryModule {}
