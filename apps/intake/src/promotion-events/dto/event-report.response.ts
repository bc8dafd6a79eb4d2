import { ApiProperty } from '@nestjs/swagger';
import { projectStatuses, reportDueBy, totalAmountYi } from '@shanhai/domain';
import type { EventReport } from '../event-report.entity.js';
import { qingyuanReportExample } from './event-report.request.js';

const example = qingyuanReportExample.projects[0];

class SignedProjectView {
  @ApiProperty({ example: example.name }) name!: string;
  @ApiProperty({ example: example.investor }) investor!: string;
  @ApiProperty({ description: '亿元', example: example.amountYi }) amountYi!: number;
  @ApiProperty({ example: example.industry }) industry!: string;
  @ApiProperty({ enum: projectStatuses, example: example.status }) status!: string;
}

export class EventReportResponse {
  @ApiProperty({ description: 'The event (submission) id.', format: 'uuid', example: '3c1d9a4e-5b7f-4e21-9a0c-6f2b8d1e7a35' })
  eventId!: string;

  @ApiProperty({ type: [SignedProjectView], example: qingyuanReportExample.projects })
  projects!: SignedProjectView[];

  @ApiProperty({ type: 'integer', example: qingyuanReportExample.projects.length })
  projectCount!: number;

  @ApiProperty({ description: 'The sum of the amounts, 亿元.', example: totalAmountYi(qingyuanReportExample.projects) })
  totalAmountYi!: number;

  @ApiProperty({ description: 'Send it back (or as `If-Match`) to update; also the `ETag`.', type: 'integer', example: 1 })
  version!: number;

  @ApiProperty({ description: 'Due within one month of the event (informative: a late report is still accepted).', format: 'date', example: '2027-07-29' })
  dueBy!: string;

  @ApiProperty({ format: 'date-time', example: '2027-07-02T02:00:00.000Z' })
  updatedAt!: string;
}

export const toEventReportResponse = (report: EventReport, eventDate: string): EventReportResponse => ({
  eventId: report.submissionId,
  projects: report.projects.map((p) => ({ name: p.name, investor: p.investor, amountYi: p.amountYi, industry: p.industry, status: p.status })),
  projectCount: report.projects.length,
  totalAmountYi: report.totalAmountYi,
  version: report.version,
  dueBy: reportDueBy(eventDate),
  updatedAt: report.updatedAt.toISOString(),
});
