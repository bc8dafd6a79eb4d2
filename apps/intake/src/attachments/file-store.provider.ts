import type { FactoryProvider } from '@nestjs/common';
import type { FileStoreSettings } from './file-store-settings.js';
import { FILE_STORE, type FileStore } from './file-store.js';
import { LocalFileStore } from './local-file-store.js';
import { createS3Client, S3FileStore } from './s3-file-store.js';

/** The file store the settings name. */
export function createFileStore(settings: FileStoreSettings): FileStore {
  return settings.kind === 'local' ? new LocalFileStore(settings.directory) : new S3FileStore(createS3Client(settings), settings.bucket, settings.prefix);
}

export const fileStoreProvider = (settings: FileStoreSettings): FactoryProvider<FileStore> => ({
  provide: FILE_STORE,
  useFactory: () => createFileStore(settings),
});
