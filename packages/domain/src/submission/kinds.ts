export type SubmissionKind = 'zone_plan' | 'promotion_event';
