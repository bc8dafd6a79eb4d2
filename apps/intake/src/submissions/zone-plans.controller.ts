import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CreateZonePlanRequest } from './dto/create-zone-plan.request.js';
import { ListZonePlansQuery } from './dto/list-zone-plans.query.js';
import { toSubmissionResponse, type SubmissionResponse } from './dto/submission.response.js';
import { SubmissionsService } from './submissions.service.js';

@Controller('zone-plans')
export class ZonePlansController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Post()
  @HttpCode(201)
  async submit(@Body() body: CreateZonePlanRequest): Promise<SubmissionResponse> {
    return toSubmissionResponse(await this.submissions.submitZonePlan(body));
  }

  @Get()
  async list(@Query() query: ListZonePlansQuery): Promise<{ items: SubmissionResponse[] }> {
    return { items: (await this.submissions.list(query.county)).map((s) => toSubmissionResponse(s)) };
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<SubmissionResponse> {
    const { submission, timeline } = await this.submissions.get(id);
    return toSubmissionResponse(submission, timeline);
  }
}
