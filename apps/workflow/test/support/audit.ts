import type { InstanceEvent } from '@shanhai/domain';

/** An audit entry's `data` as JSON holds it (dates as ISO text), back as the domain event. */
export const reviveDates = (data: unknown): InstanceEvent => {
  const event = data as InstanceEvent & { at: string };
  return { ...event, at: new Date(event.at) };
};
