import type { ApiClient } from './api-client.js';

interface User {
  email: string;
  organisation: string | null;
  active: boolean;
}

/**
 * How many people an organisation's emails go to: its active accounts in intake's directory (the
 * notifier's replica of it), or its mailbox when it has none.
 */
export async function loadPeopleOf(api: ApiClient): Promise<(organisation: string) => number> {
  const users: User[] = [];
  for (let offset = 0; ; offset += 200) {
    const { body } = await api.call<{ items: User[] }>('intake', 'GET', `/directory/users?limit=200&offset=${offset}`, { as: 'admin' });
    users.push(...body.items);
    if (body.items.length < 200) break;
  }
  const people = new Map<string, Set<string>>();
  for (const u of users) {
    if (!u.active || !u.organisation) continue;
    people.set(u.organisation, (people.get(u.organisation) ?? new Set()).add(u.email.toLowerCase()));
  }
  return (organisation) => Math.max(1, people.get(organisation)?.size ?? 0);
}
