import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblemResponses, CurrentUser, malformedIdProblem, PROBLEM_TYPE_BASE, Roles, type Principal } from '@shanhai/platform';
import { DecideRequest, decisionExamples, ReassignRequest } from './dto/decide.request.js';
import { ExtendRequest } from './dto/extend.request.js';
import { InstanceResponse, TaskListResponse, TaskResponse, toInstanceResponse } from './dto/instance.response.js';
import { ListTasksQuery } from './dto/list-tasks.query.js';
import { InstanceCommands, type DecisionInput } from './instance-commands.service.js';
import { TasksService } from './tasks.service.js';

const taskId = { name: 'id', description: 'The task id.', format: 'uuid', example: 'fed241f2-5c3a-4e8b-9f10-2b7d6c4a1e93' };

const example = {
  instanceId: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b',
  submissionId: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f',
  title: '浙江庆元经济开发区',
  kind: 'zone_plan',
  revision: 1,
  party: 0,
  delegatedBy: null,
  actingFor: null,
  deficiencies: [],
  dueOn: null,
  overdue: false,
};

/** What a losing decision sees: the instance after the winner's decision. */
const decidedFirst: InstanceResponse = {
  id: example.instanceId,
  submissionId: example.submissionId,
  revision: 1,
  title: example.title,
  definition: { key: 'zone_plan', version: 2 },
  status: 'in_review',
  currentStep: 1,
  stepCount: 5,
  round: 2,
  version: 2,
  deadlines: { steps: [] },
  tasks: [
    {
      ...example,
      id: 'fed241f2-5c3a-4e8b-9f10-2b7d6c4a1e93',
      step: { index: 0, key: 'city_pre_review', name: '市商务局初审' },
      round: 1,
      organisation: { code: 'lishui-commerce', name: '丽水市商务局' },
      status: 'approved',
      decidedBy: '丽水市商务局 审核员 陈',
      opinion: '同意上报。',
      decidedAt: '2025-11-27T09:30:00.000Z',
      createdAt: '2025-11-27T08:00:01.000Z',
    },
    {
      ...example,
      id: '0b8c2d4e-6f1a-4b3c-8d5e-7f9a1b2c3d4e',
      step: { index: 1, key: 'province_review', name: '省商务厅审核' },
      round: 2,
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
    private readonly instances: InstanceCommands,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List tasks, oldest first',
    description:
      "A reviewing organisation's work list: filter by state, submission kind, step, submission, delegation to me, due date (`due_before`), overdue (`overdue=true`) and (admins) organisation; paged with limit and offset. " +
      "Each task shows its round's due date (`dueOn`, a China date) and whether it is `overdue` (pending past the end of its due day in Asia/Shanghai).",
  })
  @ApiOkResponse({ type: TaskListResponse, description: 'One page of the matching tasks, and how many match in all.' })
  @ApiProblemResponses({ status: 400, description: 'A filter is not valid (`VALIDATION_FAILED`, every problem listed in `errors`).' })
  list(@CurrentUser() principal: Principal, @Query() query: ListTasksQuery): Promise<TaskListResponse> {
    const { mine, due_before: dueBefore, overdue, ...filter } = query;
    return this.tasks.list(principal, {
      ...filter,
      ...(mine === 'true' ? { assignedTo: principal.userId } : {}),
      ...(dueBefore ? { dueBefore } : {}),
      ...(overdue ? { overdue: overdue === 'true' } : {}),
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
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
    summary: 'Decide a task: approve, reject, return for correction, or delegate',
    description:
      'An approval completes a single step (the next is assigned, or after the last the submission is approved); on an all-of (会签) step every party must approve, ' +
      'on an any-of (或签) step the first approval decides. A rejection ends the review. A return for correction (补正) lists every deficiency, each tied to a field or an attachment, ' +
      "and hands the submission back to the applicant; the corrected revision re-enters this step. Delegation hands the task to a colleague of the same organisation, who alone decides it (acting for the delegator). " +
      'Of two simultaneous decisions on one task exactly one wins; the other gets 409 with the `current` state.',
  })
  @ApiParam(taskId)
  @ApiBody({ type: DecideRequest, examples: decisionExamples })
  @ApiOkResponse({ type: InstanceResponse, description: 'The instance and its tasks after the decision.' })
  @ApiProblemResponses(
    {
      status: 400,
      description:
        'The body is not valid (`VALIDATION_FAILED`, every problem listed in `errors`; e.g. a rejection without `reason`, a deficiency naming a field the submission does not have, ' +
        'a delegation to oneself), or the id is not a UUID.',
    },
    { status: 403, description: 'The task was delegated to a colleague: only they decide it (`NOT_ASSIGNEE`).' },
    { status: 404, description: 'No task has this id (`NOT_FOUND`).' },
    {
      status: 409,
      description:
        'The task was already decided, or closed by the applicant withdrawing or by another party (`TASK_CLOSED`), an admin moved it to another organisation while the decision waited (`TASK_REASSIGNED`), someone decided first (`STALE_VERSION`), or the chain refuses it ' +
        '(`STEP_NOT_CURRENT`, `INSTANCE_CLOSED`, `AWAITING_CORRECTION`). `current` is the instance as it is now.',
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
      description: 'A rejection whose reason is only whitespace (`REASON_REQUIRED`), a return whose deficiencies are only whitespace (`DEFICIENCIES_REQUIRED`), or a delegation to oneself (`SELF_DELEGATION`).',
      example: { type: `${PROBLEM_TYPE_BASE}reason-required`, title: 'Reason required', status: 422, code: 'REASON_REQUIRED', detail: 'a rejection states its reason' },
    },
  )
  @Roles('reviewer')
  async decide(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: DecideRequest): Promise<InstanceResponse> {
    return toInstanceResponse(await this.instances.decide(principal, id, decisionInput(body)));
  }

  @Post(':id/extension')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOperation({
    summary: "Extend the step's time limit (延期), once",
    description:
      "A reviewer of the task extends its step's due date by working days, once per step (a step re-entered after a correction keeps its one extension), " +
      "up to the bound the definition sets; the applicant is told, with the reason, and the audit records it. Decided under the same rules as a decision.",
  })
  @ApiParam(taskId)
  @ApiBody({ type: ExtendRequest, examples: { extend: { summary: 'Five more working days', value: { days: 5, reason: '需征求省自然资源厅意见，延期 5 个工作日。' } } } })
  @ApiOkResponse({ type: InstanceResponse, description: 'The instance after the extension, with the new due date.' })
  @ApiProblemResponses(
    { status: 400, description: 'The body is not valid (`VALIDATION_FAILED`), or the id is not a UUID.' },
    { status: 403, description: 'The task was delegated to a colleague: only they act on it (`NOT_ASSIGNEE`).' },
    { status: 404, description: 'No task has this id (`NOT_FOUND`).' },
    {
      status: 409,
      description: 'The step was extended once already (`ALREADY_EXTENDED`), or the task is not pending (`TASK_CLOSED`, `TASK_REASSIGNED`, `INSTANCE_CLOSED`, `AWAITING_CORRECTION`); `current` is the instance as it is now.',
      extensions: { current: { $ref: getSchemaPath(InstanceResponse) } },
    },
    413,
    { status: 422, description: 'More days than the step allows (`EXTENSION_TOO_LONG`), a step without a time limit (`NO_TIME_LIMIT`), or a reason that is only whitespace (`REASON_REQUIRED`).' },
  )
  async extend(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: ExtendRequest): Promise<InstanceResponse> {
    return toInstanceResponse(await this.instances.extend(principal, id, { days: body.days, reason: body.reason }));
  }

  @Post(':id/reassignment')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Reassign a pending task to another organisation (admins)',
    description: 'The task keeps its step, round and party; the new organisation is told, and the audit records who moved it from whom to whom.',
  })
  @ApiParam(taskId)
  @ApiBody({ type: ReassignRequest, examples: { reassign: { summary: 'Move the task to another organisation', value: { organisation: 'wenzhou-commerce', reason: '机构调整，改由温州市商务局办理。' } } } })
  @ApiOkResponse({ type: InstanceResponse, description: 'The instance and its tasks after the reassignment.' })
  @ApiProblemResponses(
    { status: 400, description: 'The body is not valid, or names an unknown organisation (`VALIDATION_FAILED`).' },
    { status: 404, description: 'No task has this id (`NOT_FOUND`).' },
    { status: 409, description: 'The task is no longer pending (`TASK_CLOSED`, `INSTANCE_CLOSED`, `AWAITING_CORRECTION`); `current` is the instance as it is now.' },
    413,
    { status: 422, description: 'The organisation already holds this task and it is not delegated (reassigning to the holder takes a delegation back), or holds another party of the step (`NOT_A_PARTY`).' },
  )
  async reassign(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: ReassignRequest): Promise<InstanceResponse> {
    return toInstanceResponse(await this.instances.reassign(principal, id, { organisation: body.organisation, ...(body.reason ? { reason: body.reason } : {}) }));
  }
}

function decisionInput(body: DecideRequest): DecisionInput {
  const opinion = body.opinion ? { opinion: body.opinion } : {};
  switch (body.outcome) {
    case 'approve':
      return { outcome: 'approve', ...opinion };
    case 'reject':
      return { outcome: 'reject', reason: body.reason ?? '' };
    case 'return':
      return { outcome: 'return', deficiencies: (body.deficiencies ?? []).map(({ target, ref, note }) => ({ target, ref, note })), ...opinion };
    case 'delegate':
      return { outcome: 'delegate', to: { userId: body.to?.userId ?? '', name: body.to?.name ?? '' }, ...(body.reason ? { reason: body.reason } : {}) };
  }
}
