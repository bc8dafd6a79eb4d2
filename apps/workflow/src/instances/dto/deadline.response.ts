import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isOverdue } from '@shanhai/domain';
import type { Deadline } from '../deadline.entity.js';
import type { Task } from '../task.entity.js';

const clockStatuses = ['running', 'paused', 'resumed', 'done', 'closed'];

/** One clock, as task and instance responses show it. Dates are China dates (Asia/Shanghai). */
export class TaskClockResponse {
  @ApiProperty({ description: '`paused`: the submission is back for correction; `resumed`: carried on by the next round; `done`: decided; `closed`: withdrawn.', enum: clockStatuses, example: 'running' })
  status!: string;

  @ApiProperty({ description: 'The limit the definition gives, in working days.', type: 'integer', example: 3 })
  limitDays!: number;

  @ApiProperty({ description: 'The day it started, or resumed with what an earlier round left (not counted).', format: 'date', example: '2026-09-30' })
  startedOn!: string;

  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'Null while a year it falls in has no calendar (`problem`).', example: '2026-10-10' })
  dueOn!: string | null;

  @ApiProperty({ description: 'Running (not paused or stopped) and past the end of its due day.', example: false })
  overdue!: boolean;

  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'When a return for correction stopped it.', example: null })
  pausedOn!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Working days it had left when it stopped.', example: null })
  remainingDays!: number | null;

  @ApiProperty({ description: 'Working days added by the extension (延期); 0 without.', type: 'integer', example: 0 })
  extendedDays!: number;

  @ApiProperty({ type: 'string', nullable: true, description: "The extension's reason.", example: null })
  extensionReason!: string | null;

  @ApiPropertyOptional({ description: 'Why the due date is not known (a year without a calendar).' })
  problem?: string;
}

export class StepClockResponse extends TaskClockResponse {
  @ApiProperty({ type: 'integer', example: 0 })
  step!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  round!: number;
}

export class ClocksResponse {
  @ApiPropertyOptional({ type: TaskClockResponse, description: 'The committed limit of the whole review (承诺时限); absent when the definition sets none.' })
  committed?: TaskClockResponse;

  @ApiProperty({ type: [StepClockResponse], description: "Each step round's limit (办理时限), by step and round." })
  steps!: StepClockResponse[];
}

export const clockResponse = (d: Deadline, now: Date): TaskClockResponse => ({
  status: d.status,
  limitDays: d.limitDays,
  startedOn: d.startedOn,
  dueOn: d.dueOn,
  overdue: d.status === 'running' && d.dueOn !== null && isOverdue(d.dueOn, now),
  pausedOn: d.pausedOn,
  remainingDays: d.remainingDays,
  extendedDays: d.extendedDays,
  extensionReason: d.extensionReason,
  ...(d.problem ? { problem: d.problem } : {}),
});

export const toClocksResponse = (deadlines: readonly Deadline[], now: Date): ClocksResponse => {
  const committed = deadlines.find((d) => d.clock === 'committed');
  return {
    ...(committed ? { committed: clockResponse(committed, now) } : {}),
    steps: deadlines.filter((d) => d.clock === 'step').map((d) => ({ step: d.step, round: d.round, ...clockResponse(d, now) })),
  };
};

/** What a task shows of its round's clock: due, overdue while it is pending, and the clock itself. */
export const taskClock = (t: Pick<Task, 'status'>, clock: Deadline | undefined, now: Date): { dueOn: string | null; overdue: boolean; clock?: TaskClockResponse } => {
  if (!clock) return { dueOn: null, overdue: false };
  const shown = clockResponse(clock, now);
  return { dueOn: clock.dueOn, overdue: t.status === 'pending' && shown.overdue, clock: shown };
};
