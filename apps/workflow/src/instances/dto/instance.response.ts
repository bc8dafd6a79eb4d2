import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Instance } from '../instance.entity.js';
import type { Task } from '../task.entity.js';
import type { Deadline } from '../deadline.entity.js';
import { ClocksResponse, TaskClockResponse, taskClock, toClocksResponse } from './deadline.response.js';
import { LabelResponse } from './label.response.js';

export class TaskStepResponse {
  @ApiProperty({ description: 'The step, from 0.', type: 'integer', example: 0 })
  index!: number;

  @ApiProperty({ example: 'city_pre_review' })
  key!: string;

  @ApiProperty({ example: '市商务局初审' })
  name!: string;
}

export class OrganisationResponse {
  @ApiProperty({ description: 'The directory code.', example: 'lishui-commerce' })
  code!: string;

  @ApiProperty({ example: '丽水市商务局' })
  name!: string;
}

export class AssigneeResponse {
  @ApiProperty({ format: 'uuid', example: '3b1f6f0e-8d2a-4c4e-9a57-2f1d0c9b8a71' })
  userId!: string;

  @ApiProperty({ example: '浙江省商务厅 审核员 李' })
  name!: string;
}

export class DeficiencyResponse {
  @ApiProperty({ enum: ['field', 'attachment'], example: 'field' })
  target!: string;

  @ApiProperty({ example: 'content.blocks.0.boundary.east' })
  ref!: string;

  @ApiProperty({ example: '东至边界与国土空间规划不一致，请核实。' })
  note!: string;

  @ApiPropertyOptional({ type: LabelResponse, description: 'The field or document as readers name it (`司前区块 东至`); absent on notices recorded before labels.' })
  label?: LabelResponse;
}

export class TaskResponse {
  @ApiProperty({ format: 'uuid', example: 'fed241f2-5c3a-4e8b-9f10-2b7d6c4a1e93' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b' })
  instanceId!: string;

  @ApiProperty({ format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  submissionId!: string;

  @ApiProperty({ description: "The submission's title.", example: '浙江庆元经济开发区' })
  title!: string;

  @ApiProperty({ enum: ['zone_plan', 'promotion_event'], example: 'zone_plan' })
  kind!: string;

  @ApiProperty({ description: 'The submission revision this task reviews.', type: 'integer', example: 1 })
  revision!: number;

  @ApiProperty({ type: TaskStepResponse })
  step!: TaskStepResponse;

  @ApiProperty({ description: 'Which entry into the step: a step re-entered after a correction has a new round.', type: 'integer', example: 1 })
  round!: number;

  @ApiProperty({ description: "The party's index among the step's parties (0 unless countersigned).", type: 'integer', example: 0 })
  party!: number;

  @ApiProperty({ type: OrganisationResponse, description: 'The reviewing organisation.' })
  organisation!: OrganisationResponse;

  @ApiProperty({
    description: '`closed`: the step was decided without this party (another any-of party decided, or another party rejected or returned).',
    enum: ['pending', 'approved', 'rejected', 'returned', 'withdrawn', 'closed'],
    example: 'pending',
  })
  status!: string;

  @ApiPropertyOptional({ type: AssigneeResponse, description: 'The colleague the task was delegated to, who alone decides it; absent unless delegated.' })
  assignee?: AssigneeResponse;

  @ApiProperty({ type: 'string', nullable: true, description: 'Who delegated it.', example: null })
  delegatedBy!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  decidedBy!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Whom the decider acted for (the delegator).', example: null })
  actingFor!: string | null;

  @ApiProperty({ description: "The approval's or return's opinion, or the rejection's reason.", type: 'string', nullable: true, example: null })
  opinion!: string | null;

  @ApiProperty({ type: [DeficiencyResponse], description: 'The correction notice, when this task returned the submission; otherwise empty.' })
  deficiencies!: DeficiencyResponse[];

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  decidedAt!: string | null;

  @ApiProperty({ format: 'date-time', example: '2025-11-27T08:00:01.000Z' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: "The step's due date in this round (办理时限, a China date): null when the step has no time limit, or the calendar of the year it falls in is not loaded yet.", example: '2026-10-10' })
  dueOn!: string | null;

  @ApiProperty({ description: 'Pending and past the end of its due day in Asia/Shanghai.', example: false })
  overdue!: boolean;

  @ApiPropertyOptional({ type: TaskClockResponse, description: "The round's clock in full (absent when the step has no time limit)." })
  clock?: TaskClockResponse;
}

export class TaskListResponse {
  @ApiProperty({ type: [TaskResponse], description: 'Oldest first.' })
  items!: TaskResponse[];

  @ApiProperty({ description: 'How many tasks match, ignoring limit and offset.', type: 'integer', example: 1 })
  total!: number;
}

export class DefinitionRefResponse {
  @ApiProperty({ example: 'zone_plan' })
  key!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  version!: number;
}

export class InstanceResponse {
  @ApiProperty({ format: 'uuid', example: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  submissionId!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  revision!: number;

  @ApiProperty({ description: "The submission's title.", example: '浙江庆元经济开发区' })
  title!: string;

  @ApiProperty({ type: DefinitionRefResponse, description: 'The approval chain the instance runs.' })
  definition!: DefinitionRefResponse;

  @ApiProperty({ description: '`returned`: back with the applicant for correction.', enum: ['in_review', 'returned', 'approved', 'rejected', 'withdrawn'], example: 'in_review' })
  status!: string;

  @ApiProperty({ description: 'The step awaiting a decision; after the end, the step that ended it.', type: 'integer', example: 1 })
  currentStep!: number;

  @ApiProperty({ type: 'integer', example: 3 })
  stepCount!: number;

  @ApiProperty({ description: 'How many times a step was entered.', type: 'integer', example: 2 })
  round!: number;

  @ApiProperty({ description: 'Optimistic lock: one more after each decision.', type: 'integer', example: 2 })
  version!: number;

  @ApiProperty({ type: [TaskResponse], description: 'Its tasks so far: one per party of each step entered, by round.' })
  tasks!: TaskResponse[];

  @ApiProperty({ type: ClocksResponse, description: "The time limits: the committed limit (承诺时限) and each step round's (办理时限)." })
  deadlines!: ClocksResponse;
}

export const toTaskResponse = (t: Task, instance: Pick<Instance, 'submissionId' | 'submission'>, clock: Deadline | undefined, now: Date): TaskResponse => ({
  id: t.id,
  instanceId: t.instanceId,
  submissionId: instance.submissionId,
  title: instance.submission.title,
  kind: instance.submission.kind,
  revision: t.revision,
  step: { index: t.stepIndex, key: t.stepKey, name: t.stepName },
  round: t.round,
  party: t.party,
  organisation: { code: t.organisationCode, name: t.organisationName },
  status: t.status,
  ...(t.assigneeId ? { assignee: { userId: t.assigneeId, name: t.assigneeName ?? '' } } : {}),
  delegatedBy: t.delegatedBy,
  decidedBy: t.decidedBy,
  actingFor: t.actingFor,
  opinion: t.opinion,
  deficiencies: t.deficiencies ?? [],
  decidedAt: t.decidedAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
  ...taskClock(t, clock, now),
});

export const toInstanceResponse = ({ instance, tasks, deadlines, now }: { instance: Instance; tasks: Task[]; deadlines: Deadline[]; now: Date }): InstanceResponse => ({
  id: instance.id,
  submissionId: instance.submissionId,
  revision: instance.revision,
  title: instance.submission.title,
  definition: { key: instance.definitionKey, version: instance.definitionVersion },
  status: instance.status,
  currentStep: instance.currentStep,
  stepCount: instance.stepCount,
  round: instance.round,
  version: instance.version,
  tasks: tasks.map((t) => toTaskResponse(t, instance, deadlines.find((d) => d.clock === 'step' && d.step === t.stepIndex && d.round === t.round), now)),
  deadlines: toClocksResponse(deadlines, now),
});
