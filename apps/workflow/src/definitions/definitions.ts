import { promotionEventChainV1, zonePlanChainV1, type ApprovalDefinition } from '@shanhai/domain';

/**
 * The definitions in force, by submission kind. They are code for now; the approval-engine issue
 * makes them versioned data that admins publish.
 */
export const definitions: Partial<Record<string, ApprovalDefinition>> = { zone_plan: zonePlanChainV1, promotion_event: promotionEventChainV1 };
