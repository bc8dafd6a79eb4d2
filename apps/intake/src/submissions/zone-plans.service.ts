import { Injectable } from '@nestjs/common';
import { RequestValidationError, type Principal } from '@shanhai/platform';
import type { ZonePlanPatch, ZonePlanRequest } from './dto/zone-plan.request.js';
import type { ZonePlanContent } from './dto/zone-plan.response.js';
import type { Submission } from './submission.entity.js';
import { SubmissionsService, type DraftFields } from './submissions.service.js';

/** Zone creation plans on the generic submission lifecycle: maps a plan onto a submission and back. */
@Injectable()
export class ZonePlansService {
  constructor(private readonly submissions: SubmissionsService) {}

  create(principal: Principal, request: ZonePlanRequest): Promise<Submission> {
    return this.submissions.createDraft(principal, 'zone_plan', fieldsOf(request));
  }

  /** A patch is merged over the stored plan; an explicit null clears an optional field. */
  update(principal: Principal, id: string, patch: ZonePlanPatch, version?: number): Promise<Submission> {
    const cleared = REQUIRED.filter((field) => (patch as Record<string, unknown>)[field] === null);
    if (cleared.length) throw new RequestValidationError(cleared.map((field) => ({ field, message: `${field} is required and cannot be cleared` })));
    return this.submissions.update(principal, id, 'zone_plan', (current) => fieldsOf({ ...requestOf(current), ...definedOnly(patch) }), version);
  }
}

/** Fields a plan cannot do without: a patch may change them, not clear them with null. */
const REQUIRED = ['zoneName', 'blocks', 'leadingIndustries', 'landUseConformity', 'planEiaReviewRef', 'contact'] as const;

function fieldsOf(r: ZonePlanRequest): DraftFields {
  const content: ZonePlanContent = {
    blocks: r.blocks.map((b) => ({ name: b.name, areaKm2: b.areaKm2, boundary: { east: b.boundary.east, south: b.boundary.south, west: b.boundary.west, north: b.boundary.north } })),
    leadingIndustries: [...r.leadingIndustries],
    landUseConformity: r.landUseConformity,
    planEiaReviewRef: r.planEiaReviewRef,
    plannedInvestmentYi: r.plannedInvestmentYi ?? null,
  };
  return {
    title: r.zoneName,
    contact: { name: r.contact.name, email: r.contact.email, ...(r.contact.phone ? { phone: r.contact.phone } : {}) },
    pairedZoneCode: r.pairedZoneCode ?? null,
    content: { ...content },
  };
}

function requestOf(s: Submission): ZonePlanRequest {
  const c = s.content as unknown as ZonePlanContent;
  return {
    zoneName: s.title,
    blocks: c.blocks,
    leadingIndustries: c.leadingIndustries,
    landUseConformity: c.landUseConformity,
    planEiaReviewRef: c.planEiaReviewRef,
    ...(c.plannedInvestmentYi === null ? {} : { plannedInvestmentYi: c.plannedInvestmentYi }),
    ...(s.pairedZoneCode ? { pairedZoneCode: s.pairedZoneCode } : {}),
    contact: s.contact,
  };
}

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
