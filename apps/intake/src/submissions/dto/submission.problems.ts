import type { SchemaObject } from '@nestjs/swagger';
import { submissionStatuses } from '@shanhai/domain';

/** The member a refusal of the lifecycle (`NOT_EDITABLE`, `NOT_WITHDRAWABLE`) adds to its problem: the status that refused it. */
export const submissionStatusMembers: Record<string, SchemaObject> = {
  submissionStatus: {
    type: 'string',
    enum: [...submissionStatuses],
    description: 'With `NOT_EDITABLE` or `NOT_WITHDRAWABLE`: the status of the submission, which refuses the command.',
    example: 'in_review',
  },
};
