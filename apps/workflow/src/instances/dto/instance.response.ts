import type { Instance } from '../instance.entity.js';
import type { Task } from '../task.entity.js';

export interface TaskResponse {
  id: string;
  instanceId: string;
  submissionId: string;
  title: string;
  step: { index: number; key: string; name: string };
  organisation: { code: string; name: string };
  status: string;
  decidedBy: string | null;
  opinion: string | null;
  decidedAt: string | null;
  createdAt: string;
}

export interface InstanceResponse {
  id: string;
  submissionId: string;
  revision: number;
  title: string;
  definition: { key: string; version: number };
  status: string;
  currentStep: number;
  stepCount: number;
  version: number;
  tasks: TaskResponse[];
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
