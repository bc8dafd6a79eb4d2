import { ApiProperty } from '@nestjs/swagger';
import type { Instance } from '../instance.entity.js';
import type { Task } from '../task.entity.js';

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

export class TaskResponse {
  @ApiProperty({ format: 'uuid', example: 'fed241f2-5c3a-4e8b-9f10-2b7d6c4a1e93' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b' })
  instanceId!: string;

  @ApiProperty({ format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  submissionId!: string;

  @ApiProperty({ description: "The submission's title.", example: '浙江庆元经济开发区' })
  title!: string;

  @ApiProperty({ type: TaskStepResponse })
  step!: TaskStepResponse;

  @ApiProperty({ type: OrganisationResponse, description: 'The reviewing organisation.' })
  organisation!: OrganisationResponse;

  @ApiProperty({ enum: ['pending', 'approved', 'rejected', 'withdrawn'], example: 'pending' })
  status!: string;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  decidedBy!: string | null;

  @ApiProperty({ description: "The approval's opinion, or the rejection's reason.", type: 'string', nullable: true, example: null })
  opinion!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  decidedAt!: string | null;

  @ApiProperty({ format: 'date-time', example: '2025-11-27T08:00:01.000Z' })
  createdAt!: string;
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

  @ApiProperty({ enum: ['in_review', 'approved', 'rejected', 'withdrawn'], example: 'in_review' })
  status!: string;

  @ApiProperty({ description: 'The step awaiting a decision; after the end, the step that ended it.', type: 'integer', example: 1 })
  currentStep!: number;

  @ApiProperty({ type: 'integer', example: 3 })
  stepCount!: number;

  @ApiProperty({ description: 'Optimistic lock: one more after each decision.', type: 'integer', example: 2 })
  version!: number;

  @ApiProperty({ type: [TaskResponse], description: 'Its tasks so far, one per step reached.' })
  tasks!: TaskResponse[];
}

export const toTaskResponse = (t: Task, instance: Pick<Instance, 'submissionId' | 'submission'>): TaskResponse => ({
  id: t.id,
  instanceId: t.instanceId,
  submissionId: instance.submissionId,
  title: instance.submission.title,
  step: { index: t.stepIndex, key: t.stepKey, name: t.stepName },
  organisation: { code: t.organisationCode, name: t.organisationName },
  status: t.status,
  decidedBy: t.decidedBy,
  opinion: t.opinion,
  decidedAt: t.decidedAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
});

export const toInstanceResponse = ({ instance, tasks }: { instance: Instance; tasks: Task[] }): InstanceResponse => ({
  id: instance.id,
  submissionId: instance.submissionId,
  revision: instance.revision,
  title: instance.submission.title,
  definition: { key: instance.definitionKey, version: instance.definitionVersion },
  status: instance.status,
  currentStep: instance.currentStep,
  stepCount: instance.stepCount,
  version: instance.version,
  tasks: tasks.map((t) => toTaskResponse(t, instance)),
});
