import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';

/**
 * In intake an `ETag` is a resource version that `If-Match` takes back (see `if-match.ts`), set by
 * the controllers. Express would tag every other body too (lists, timelines, even problems) with a
 * weak hash that If-Match refuses: a second meaning for the same header. So only the controllers
 * set it. Conditional GETs still work where they do (`If-None-Match` against the version).
 */
@Module({})
export class EntityTagsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as { getInstance(): Express } | undefined;
    // Absent in a context without HTTP (a script), where there is nothing to tag.
    adapter?.getInstance().set('etag', false);
  }
}
