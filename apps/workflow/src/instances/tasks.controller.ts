import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblemResponses, CurrentUser, malformedIdProblem, PROBLEM_TYPE_BASE, Roles, type Principal } from '@shanhai/platform';
import { DecideRequest, decisionExamples } from './dto/decide.request.js';
import { InstanceResponse, TaskListResponse, TaskResponse, toInstanceResponse } from './dto/instance.response.js';
import { ListTasksQuery } from './dto/list-tasks.query.js';
import { InstancesService } from './instances.service.js';
import { TasksService } from './tasks.service.js';

const taskId = { name: 'id', description: 'The task id.', format: 'uuid', example: 'fed241f2-5c3a-4e8b-9f10-2b7d6c4a1e93' };

/** What a losing decision sees: the instance after the winner's decision. */
const decidedFirst: InstanceResponse = {
  id: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b',
  submissionId: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f',
  revision: 1,
  title: '浙江庆元经济开发区',
  definition: { key: 'zone_plan', version: 1 },
  status: 'in_review',
  currentStep: 1,
  stepCount: 3,
  version: 2,
  tasks: [
    {
      id: 'fed241f2-5c3a-4e8b-9f10-2b7d6c4a1e93',
      instanceId: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b',
      submissionId: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f',
      title: '浙江庆元经济开发区',
      step: { index: 0, key: 'city_pre_review', name: '市商务局初审' },
      organisation: { code: 'lishui-commerce', name: '丽水市商务局' },
      status: 'approved',
      decidedBy: '丽水市商务局 审核员 陈',
      opinion: '同意上报。',
      decidedAt: '2025-11-27T09:30:00.000Z',
      createdAt: '2025-11-27T08:00:01.000Z',
    },
    {
      id: '0b8c2d4e-6f1a-4b3c-8d5e-7f9a1b2c3d4e',
      instanceId: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b',
      submissionId: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f',
      title: '浙江庆元经济开发区',
      step: { index: 1, key: 'province_review', name: '省商务厅审核' },
      organisation: { code: 'zj-commerce', name: '浙江省商务厅' },
      status: 'pending',
      decidedBy: null,
      opinion: null,
      decidedAt: null,
      createdAt: '2025-11-27T09:30:00.000Z',
    },
  ],
};

@ApiTags('tasks')
@ApiBearerAuth('bearer')
@Roles('reviewer', 'admin')
@ApiProblemResponses({ status: 401, description: 'No valid access token.' }, { status: 403, description: 'Not a reviewer or an admin.' })
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly instances: InstancesService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List tasks, oldest first', description: "A reviewing organisation's work list: filter by organisation, state and submission." })
  @ApiOkResponse({ type: TaskListResponse, description: 'One page of the matching tasks, and how many match in all.' })
  @ApiProblemResponses({ status: 400, description: 'A filter is not valid (`VALIDATION_FAILED`, every problem listed in `errors`).' })
  list(@CurrentUser() principal: Principal, @Query() query: ListTasksQuery): Promise<TaskListResponse> {
    return this.tasks.list(principal, { ...query, limit: query.limit ?? 50, offset: query.offset ?? 0 });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one task' })
  @ApiParam(taskId)
  @ApiOkResponse({ type: TaskResponse, description: 'The task.' })
  @ApiProblemResponses(malformedIdProblem, { status: 404, description: 'No task has this id (`NOT_FOUND`).' })
  get(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<TaskResponse> {
    return this.tasks.get(principal, id);
  }

  /** 200 with the instance after the decision; 409 with the current state when someone decided first. */
  @Post(':id/decisions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve or reject a task',
    description:
      'Decides the step: an approval assigns the next step or, on the last step, approves the plan; a rejection ends the review. ' +
      'Of two simultaneous decisions on one step exactly one wins; the other gets 409 with the `current` state.',
  })
  @ApiParam(taskId)
  @ApiBody({ type: DecideRequest, examples: decisionExamples })
  @ApiOkResponse({ type: InstanceResponse, description: 'The instance and its tasks after the decision.' })
  @ApiProblemResponses(
    {
      status: 400,
      description: 'The body is not valid (`VALIDATION_FAILED`, every problem listed in `errors`; e.g. a rejection without `reason`), or the id is not a UUID.',
    },
    { status: 404, description: 'No task has this id (`NOT_FOUND`).' },
    {
      status: 409,
      description:
        'The task was already decided, or closed by the applicant withdrawing (`TASK_CLOSED`), someone decided the step first (`STALE_VERSION`), or the chain refuses it ' +
        '(`STEP_NOT_CURRENT`, `INSTANCE_CLOSED`). `current` is the instance as it is now.',
      extensions: { current: { $ref: getSchemaPath(InstanceResponse) } },
      example: {
        type: `${PROBLEM_TYPE_BASE}task-closed`,
        title: 'Task closed',
        status: 409,
        code: 'TASK_CLOSED',
        detail: 'the task is closed (approved)',
        instance: '/tasks/fed241f2-5c3a-4e8b-9f10-2b7d6c4a1e93/decisions',
        current: decidedFirst,
      },
    },
    413,
    {
      status: 422,
      description: 'A rejection whose reason is only whitespace (`REASON_REQUIRED`).',
      example: { type: `${PROBLEM_TYPE_BASE}reason-required`, title: 'Reason required', status: 422, code: 'REASON_REQUIRED', detail: 'a rejection states its reason' },
    },
  )
  @Roles('reviewer')
  async decide(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: DecideRequest): Promise<InstanceResponse> {
    const input =
      body.outcome === 'approve'
        ? { outcome: 'approve' as const, ...(body.opinion ? { opinion: body.opinion } : {}) }
        : { outcome: 'reject' as const, reason: body.reason ?? '' };
    return toInstanceResponse(await this.instances.decide(principal, id, input));
  }
}
