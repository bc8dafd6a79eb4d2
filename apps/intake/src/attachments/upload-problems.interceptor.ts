import { BadRequestException, type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { DomainError, RequestValidationError } from '@shanhai/platform';
import { catchError, type Observable } from 'rxjs';

/** Injection token: the largest attachment accepted, in bytes. */
export const UPLOAD_MAX_BYTES = Symbol('UPLOAD_MAX_BYTES');

/**
 * Bound outside `FileInterceptor`: turns multer's refusals into the services' problems, a file over
 * the limit into 413 PAYLOAD_TOO_LARGE naming the limit, a stray or second file into 400 on its field.
 */
@Injectable()
export class UploadProblemsInterceptor implements NestInterceptor {
  constructor(@Inject(UPLOAD_MAX_BYTES) private readonly maxBytes: number) {}

  intercept(_: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof PayloadTooLargeException) {
          throw new DomainError('PAYLOAD_TOO_LARGE', `a file can be at most ${this.maxBytes} bytes (${mebibytes(this.maxBytes)})`, { maxBytes: this.maxBytes });
        }
        // multer's own 400s (a file under another field name, a second file, a field too long): its cause names the field.
        if (error instanceof BadRequestException && isMulterError(error.cause)) {
          throw new RequestValidationError([{ field: error.cause.field ?? 'file', message: error.cause.message }]);
        }
        throw error;
      }),
    );
  }
}

const isMulterError = (cause: unknown): cause is { code: string; message: string; field?: string } =>
  typeof cause === 'object' && cause !== null && (cause as { name?: unknown }).name === 'MulterError';

const mebibytes = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
