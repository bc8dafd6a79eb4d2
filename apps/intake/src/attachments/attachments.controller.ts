import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { attachmentKinds } from '@shanhai/domain';
import { ApiAuthProblems, ApiProblemResponses, BEARER_SCHEME, CurrentUser, malformedIdProblem, PROBLEM_TYPE_BASE, Roles, type Principal } from '@shanhai/platform';
import { submissionStatusMembers } from '../submissions/dto/submission.problems.js';
import { AttachmentsService } from './attachments.service.js';
import { acceptedTypeLabels, extensionOf } from './content-type.js';
import { AttachmentListResponse, AttachmentResponse, toAttachmentResponse } from './dto/attachment.response.js';
import { parseUpload, type UploadedFileBody } from './dto/upload-attachment.request.js';
import { contentDisposition } from './filename.js';
import { UploadProblemsInterceptor } from './upload-problems.interceptor.js';

const planIdParam = ApiParam({ name: 'id', description: 'The zone plan.', format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' });

@ApiTags('zone-plans')
@ApiBearerAuth(BEARER_SCHEME)
@ApiAuthProblems()
@Controller('zone-plans/:id/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @HttpCode(201)
  @Roles('applicant')
  // Memory storage (no `dest`): the bytes are hashed and checked before anything is written. The size limit comes from MulterModule.
  @UseInterceptors(UploadProblemsInterceptor, FileInterceptor('file', { limits: { files: 1, fields: 4, fieldSize: 1024 } }))
  @ApiOperation({
    summary: 'Attach a document to a draft plan',
    description:
      `The applicant county uploads one of the five documents a plan is filed with, while the plan is a draft or returned for correction. ` +
      `Uploading a kind again replaces the current file of that kind. Accepted by content, whatever the name: ${acceptedTypeLabels.join(', ')}.`,
  })
  @planIdParam
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['kind', 'file'],
      properties: {
        kind: { type: 'string', enum: [...attachmentKinds], example: 'feasibility_report', description: 'Which document this is.' },
        file: { type: 'string', format: 'binary', description: 'The document: PDF, PNG, JPEG, TIFF, or Word/Excel/PowerPoint (docx, xlsx, pptx, doc, xls, ppt).' },
      },
    },
    examples: {
      feasibility: { summary: 'The feasibility report as a PDF', value: { kind: 'feasibility_report', file: '(the bytes of 浙江庆元经济开发区可行性研究报告.pdf)' } },
    },
  })
  @ApiCreatedResponse({ type: AttachmentResponse, description: 'Stored; it is now the current attachment of its kind.' })
  @ApiProblemResponses(
    { status: 400, description: '`kind` is not one of the five, or `file` is missing or empty (`VALIDATION_FAILED`, every problem listed).' },
    { status: 404, description: 'No plan has this id, or the caller may not see it (`NOT_FOUND`).' },
    { status: 409, description: 'The plan is neither a draft nor returned for correction (`NOT_EDITABLE`, with `submissionStatus`), or its withdrawal was requested and awaits the review (`WITHDRAWAL_PENDING`).', extensions: submissionStatusMembers },
    {
      status: 413,
      description: 'The file is larger than the limit (`PAYLOAD_TOO_LARGE`, with `maxBytes`); 20 MiB unless configured.',
      extensions: { maxBytes: { type: 'integer', description: 'With `PAYLOAD_TOO_LARGE`: the largest file accepted, in bytes.', example: 20971520 } },
      example: {
        type: `${PROBLEM_TYPE_BASE}payload-too-large`,
        title: 'Payload too large',
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        detail: 'a file can be at most 20971520 bytes (20 MiB)',
        maxBytes: 20971520,
      },
    },
    {
      status: 415,
      description: 'By its content, the file is none of the accepted types (`UNSUPPORTED_MEDIA_TYPE`, with `detectedType`, and `errors` naming `file`).',
      extensions: { detectedType: { type: 'string', nullable: true, description: 'The media type the content was detected as; null: of no known type.', example: 'application/zip' } },
      example: {
        type: `${PROBLEM_TYPE_BASE}unsupported-media-type`,
        title: 'Unsupported media type',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        detail: 'by its content, 可行性研究报告.pdf is zip (application/zip); accepted: PDF, …',
        detectedType: 'application/zip',
        errors: [{ field: 'file', message: 'by its content, 可行性研究报告.pdf is zip (application/zip)' }],
      },
    },
  )
  @ApiAuthProblems('Only applicant counties upload (`FORBIDDEN`).')
  async upload(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: Record<string, unknown>,
    @UploadedFile() file: UploadedFileBody | undefined,
  ): Promise<AttachmentResponse> {
    const { kind, upload } = parseUpload(body, file);
    return toAttachmentResponse(await this.attachments.upload(principal, id, kind, { filename: upload.originalname, content: upload.buffer }));
  }

  @Get()
  @ApiOperation({ summary: "List a plan's current attachments", description: 'The current file of each kind uploaded so far, in the order of the kinds.' })
  @planIdParam
  @ApiOkResponse({ type: AttachmentListResponse })
  @ApiProblemResponses(malformedIdProblem, { status: 404, description: 'No plan has this id, or the caller may not see it (`NOT_FOUND`).' })
  async list(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<AttachmentListResponse> {
    return { items: (await this.attachments.list(principal, id)).map(toAttachmentResponse) };
  }

  @Get(':attachmentId')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-cache')
  @ApiOperation({
    summary: 'Download an attachment',
    description: 'The bytes as uploaded, with the type detected at upload, as a download (`Content-Disposition: attachment`, the name in UTF-8).',
  })
  @planIdParam
  @ApiParam({ name: 'attachmentId', description: 'The attachment, as listed or returned by the upload.', format: 'uuid', example: '3b9d1c52-5e0f-4a57-8f8e-2f1c6a7d9e01' })
  @ApiProduces('application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'application/octet-stream')
  @ApiOkResponse({ description: 'The file.', schema: { type: 'string', format: 'binary' } })
  @ApiProblemResponses(malformedIdProblem, { status: 404, description: 'No such attachment of this plan, or the caller may not see the plan (`NOT_FOUND`).' })
  async download(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('attachmentId', new ParseUUIDPipe()) attachmentId: string,
  ): Promise<StreamableFile> {
    const { attachment, stream } = await this.attachments.download(principal, id, attachmentId);
    return new StreamableFile(stream, {
      type: attachment.mediaType,
      length: attachment.sizeBytes,
      disposition: contentDisposition(attachment.filename, `${attachment.kind}.${extensionOf(attachment.mediaType)}`),
    });
  }
}
