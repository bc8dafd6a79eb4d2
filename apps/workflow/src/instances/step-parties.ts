import { Injectable } from '@nestjs/common';
import type { SubmissionSummary } from '@shanhai/contracts';
import { reviewersOf, type ApprovalDefinition, type ChainStep, type Reviewer } from '@shanhai/domain';
import { DirectoryReplica, DomainError, type ReplicaOrganisation } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import type { PartyEntry } from './instance-projector.js';

/**
 * Who reviews: each step's organisations for a submission, from workflow's replica of intake's
 * directory. An organisation the replica does not hold yet (its message still on the way) is an
 * ordinary error, so the queue tries the message again; a reviewer the submission cannot name
 * (an event without a host) is a broken chain, which no retry mends.
 */
@Injectable()
export class StepParties {
  constructor(private readonly directory: DirectoryReplica) {}

  /** Each step's parties for the submission, resolved once when the instance starts. */
  async chainFor(manager: EntityManager, definition: ApprovalDefinition, submission: SubmissionSummary): Promise<ChainStep[]> {
    const chain: ChainStep[] = [];
    for (const step of definition.steps) {
      const parties: string[] = [];
      for (const reviewer of reviewersOf(step)) parties.push((await this.reviewer(manager, reviewer, submission, `${definition.key} step ${step.key}`)).code);
      chain.push({ mode: step.mode, parties });
    }
    return chain;
  }

  /** The directory's entry for an organisation a task goes to. */
  async entry(manager: EntityManager, code: string): Promise<PartyEntry> {
    const { name, email } = await this.known(manager, code, 'a task');
    return { code, name, email };
  }

  /** Whether an admin may hand a task to `code`: the replica holds it. */
  async exists(manager: EntityManager, code: string): Promise<boolean> {
    return !!(await this.directory.organisation(manager, code));
  }

  private async reviewer(manager: EntityManager, reviewer: Reviewer, submission: SubmissionSummary, where: string): Promise<ReplicaOrganisation> {
    switch (reviewer.kind) {
      case 'organisation':
        return this.known(manager, reviewer.code, where);
      case 'host_organisation':
        if (!submission.hostOrganisation) throw new DomainError('INVALID_CHAIN', `${where} needs a host organisation the submission does not name`);
        return this.known(manager, submission.hostOrganisation, where);
      case 'city_commerce_bureau': {
        const bureau = await this.directory.cityCommerceBureau(manager, submission.city.code);
        if (!bureau) throw new Error(`${where}: no commerce bureau of ${submission.city.name} in workflow's directory replica yet: retrying later`);
        return bureau;
      }
    }
  }

  private async known(manager: EntityManager, code: string, where: string): Promise<ReplicaOrganisation> {
    const organisation = await this.directory.organisation(manager, code);
    if (!organisation) throw new Error(`${where}: organisation ${code} is not in workflow's directory replica yet: retrying later`);
    return organisation;
  }
}
