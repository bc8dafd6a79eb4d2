import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { DecideRequest } from './dto/decide.request.js';
import { toInstanceResponse, type InstanceResponse, type TaskResponse } from './dto/instance.response.js';
import { ListTasksQuery } from './dto/list-tasks.query.js';
import { InstancesService } from './instances.service.js';
import { TasksService } from './tasks.service.js';

@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly instances: InstancesService,
  ) {}

  @Get()
  list(@Query() query: ListTasksQuery): Promise<{ items: TaskResponse[]; total: number }> {
    return this.tasks.list({ ...query, limit: query.limit ?? 50, offset: query.offset ?? 0 });
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<TaskResponse> {
    return this.tasks.get(id);
  }

  /** 200 with the instance after the decision; 409 with the current state when someone decided first. */
  @Post(':id/decisions')
  @HttpCode(200)
  async decide(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: DecideRequest): Promise<InstanceResponse> {
    const input =
      body.outcome === 'approve'
        ? { outcome: 'approve' as const, reviewer: body.reviewer, ...(body.opinion ? { opinion: body.opinion } : {}) }
        : { outcome: 'reject' as const, reviewer: body.reviewer, reason: body.reason ?? '' };
    return toInstanceResponse(await this.instances.decide(id, input));
  }
}
