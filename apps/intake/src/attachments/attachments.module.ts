import { type DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { IntakeConfig } from '../config.js';
import { SubmissionsModule } from '../submissions/submissions.module.js';
import { AttachmentsController } from './attachments.controller.js';
import { AttachmentsService } from './attachments.service.js';
import { fileStoreProvider } from './file-store.provider.js';
import { UPLOAD_MAX_BYTES, UploadProblemsInterceptor } from './upload-problems.interceptor.js';

/**
 * Zone plans' documents: upload, list, download. Imports SubmissionsModule for its access rules;
 * the attachment inventory SubmissionsService needs lives in AttachmentInventoryModule, so the two
 * feature modules do not import each other.
 */
@Module({})
export class AttachmentsModule {
  static forConfig(config: Pick<IntakeConfig, 'fileStore' | 'uploadMaxBytes'>): DynamicModule {
    // A test app's config is assembled by hand (`createTestApp`'s `extra`), past the type checker.
    if (!config.fileStore || !config.uploadMaxBytes) throw new TypeError('AttachmentsModule needs fileStore and uploadMaxBytes in the intake config');
    return {
      module: AttachmentsModule,
      imports: [
        SubmissionsModule,
        // No `dest` or storage: memory storage. Browsers send file names as raw UTF-8, which busboy would read as latin1.
        MulterModule.register({ limits: { fileSize: config.uploadMaxBytes }, defParamCharset: 'utf8' }),
      ],
      controllers: [AttachmentsController],
      providers: [AttachmentsService, UploadProblemsInterceptor, fileStoreProvider(config.fileStore), { provide: UPLOAD_MAX_BYTES, useValue: config.uploadMaxBytes }],
    };
  }
}
