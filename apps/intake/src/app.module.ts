import { type DynamicModule, Module } from '@nestjs/common';
import { QueueName } from '@shanhai/contracts';
import { PlatformModule } from '@shanhai/platform';
import { Attachment } from './attachments/attachment.entity.js';
import { AttachmentsModule } from './attachments/attachments.module.js';
import type { IntakeConfig } from './config.js';
import { Attachments1764231100000 } from './migrations/1764231100000-attachments.js';
import { EventReports1764231200000 } from './migrations/1764231200000-event-reports.js';
import { Corrections1764231300000 } from './migrations/1764231300000-corrections.js';
import { DirectoryVersions1764231400000 } from './migrations/1764231400000-directory-versions.js';
import { RevisionTitles1764231500000 } from './migrations/1764231500000-revision-titles.js';
import { SignInEvents1764231600000 } from './migrations/1764231600000-sign-in-events.js';
import { TimelineAccounts1764231700000 } from './migrations/1764231700000-timeline-accounts.js';
import { WithdrawalRequests1764231800000 } from './migrations/1764231800000-withdrawal-requests.js';
import { SignInEvent } from './auth/sign-in-event.entity.js';
import { EventReport } from './promotion-events/event-report.entity.js';
import { PromotionEventsModule } from './promotion-events/promotion-events.module.js';
import { AuthModule } from './auth/auth.module.js';
import { RefreshTokenRecord } from './auth/refresh-token.entity.js';
import { AdvancedZoneRecord, CityRecord, CountyRecord, OrganisationRecord, PairingRecord, UserRecord } from './directory/directory.entities.js';
import { DirectoryModule } from './directory/directory.module.js';
import { EntityTagsModule } from './http/entity-tags.module.js';
import { Submissions1764230500000 } from './migrations/1764230500000-submissions.js';
import { Directory1764230800000 } from './migrations/1764230800000-directory.js';
import { RefreshTokens1764230900000 } from './migrations/1764230900000-refresh-tokens.js';
import { Drafts1764231000000 } from './migrations/1764231000000-drafts.js';
import { Submission, SubmissionRevision } from './submissions/submission.entity.js';
import { SubmissionsModule } from './submissions/submissions.module.js';
import { TimelineEntry } from './submissions/timeline-entry.entity.js';
import { Urge } from './submissions/urge.entity.js';
import { Urges1764231900000 } from './migrations/1764231900000-urges.js';
import { Supervisors1764232000000 } from './migrations/1764232000000-supervisors.js';

export const entities = [Attachment, Submission, SubmissionRevision, TimelineEntry, CityRecord, CountyRecord, AdvancedZoneRecord, PairingRecord, OrganisationRecord, UserRecord, RefreshTokenRecord, EventReport, SignInEvent, Urge];
export const migrations = [Submissions1764230500000, Directory1764230800000, RefreshTokens1764230900000, Drafts1764231000000, Attachments1764231100000, EventReports1764231200000, Corrections1764231300000, DirectoryVersions1764231400000, RevisionTitles1764231500000, SignInEvents1764231600000, TimelineAccounts1764231700000, WithdrawalRequests1764231800000, Urges1764231900000, Supervisors1764232000000];

@Module({})
export class AppModule {
  static forConfig(config: IntakeConfig, options: { synchronize?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ config, entities, migrations, consumes: [QueueName.Intake], authentication: true, ...options }), SubmissionsModule, DirectoryModule, AuthModule, AttachmentsModule.forConfig(config), PromotionEventsModule, EntityTagsModule],
    };
  }
}
