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

  /**
   * Each step's parties for the submission, resolved once when the instance starts: the named
   * organisations in one read of the replica (a chain names up to one per party), the city's
   * commerce bureau in another when a step asks for it.
   */
  async chainFor(manager: EntityManager, definition: ApprovalDefinition, submission: SubmissionSummary): Promise<ChainStep[]> {
    const reviewers = definition.steps.flatMap((step) => reviewersOf(step));
    const named = reviewers.flatMap((r) => (r.kind === 'organisation' ? [r.code] : r.kind === 'host_organisation' && submission.hostOrganisation ? [submission.hostOrganisation] : []));
    const lookup: Lookup = {
      organisations: await this.directory.organisations(manager, named),
      bureau: reviewers.some((r) => r.kind === 'city_commerce_bureau') ? await this.directory.cityCommerceBureau(manager, submission.city.code) : null,
    };
    return definition.steps.map((step) => ({ mode: step.mode, parties: reviewersOf(step).map((reviewer) => this.reviewer(lookup, reviewer, submission, `${definition.key} step ${step.key}`).code) }));
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

  private reviewer(lookup: Lookup, reviewer: Reviewer, submission: SubmissionSummary, where: string): ReplicaOrganisation {
    switch (reviewer.kind) {
      case 'organisation':
        return held(lookup.organisations.get(reviewer.code), reviewer.code, where);
      case 'host_organisation':
        if (!submission.hostOrganisation) throw new DomainError('INVALID_CHAIN', `${where} needs a host organisation the submission does not name`);
        return held(lookup.organisations.get(submission.hostOrganisation), submission.hostOrganisation, where);
      case 'city_commerce_bureau':
        if (!lookup.bureau) throw new Error(`${where}: no commerce bureau of ${submission.city.name} in workflow's directory replica yet: retrying later`);
        return lookup.bureau;
    }
  }

  private async known(manager: EntityManager, code: string, where: string): Promise<ReplicaOrganisation> {
    return held(await this.directory.organisation(manager, code), code, where);
  }
}

/** What the replica holds of the organisations a chain names, read once for the whole chain. */
interface Lookup {
  readonly organisations: ReadonlyMap<string, ReplicaOrganisation>;
  /** The city's commerce bureau, when a step asks for it. */
  readonly bureau: ReplicaOrganisation | null;
}

/** An organisation the replica does not hold yet (its message still on the way): the queue tries again. */
function held(organisation: ReplicaOrganisation | null | undefined, code: string, where: string): ReplicaOrganisation {
  if (!organisation) throw new Error(`${where}: organisation ${code} is not in workflow's directory replica yet: retrying later`);
  return organisation;
}
