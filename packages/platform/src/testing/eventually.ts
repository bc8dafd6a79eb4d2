/**
 * Polls `probe` until `ok` holds or `timeoutMs` passes, and returns the last value either way:
 * the caller's assertion on it then says what was expected, rather than a bare timeout.
 */
export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
