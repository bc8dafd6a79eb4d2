/** The outcome of a pure decision: the events to record, or a refusal with a stable code. */
export type Decision<E, C extends string> =
  | { readonly ok: true; readonly events: readonly E[] }
  | { readonly ok: false; readonly code: C; readonly detail?: string };

export const accept = <E>(events: readonly E[]): { ok: true; events: readonly E[] } => ({ ok: true, events });
export const refuse = <C extends string>(code: C, detail?: string): { ok: false; code: C; detail?: string } =>
  detail === undefined ? { ok: false, code } : { ok: false, code, detail };
