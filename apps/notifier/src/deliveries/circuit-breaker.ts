export type CircuitState = 'closed' | 'open' | 'half_open';

export const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'open', 'half_open'];

/**
 * One SMTP transport's circuit. Closed: every send goes through. After `threshold` consecutive
 * transport failures it opens: sends skip the transport for `cooldownMs`. The first send after
 * the cooldown is its one trial (half-open): success closes the circuit, failure opens it again.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly onChange: (from: CircuitState, to: CircuitState, why: string) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  get failures(): number {
    return this.consecutiveFailures;
  }

  /**
   * How long until a send may use the transport: 0 when it may now, the rest of the cooldown when
   * open, and a short wait while a half-open trial is in flight.
   */
  availableInMs(): number {
    if (this.current === 'closed') return 0;
    if (this.current === 'open') return Math.max(0, this.openedAt + this.cooldownMs - this.now());
    return this.trialInFlight ? Math.min(1000, this.cooldownMs) : 0;
  }

  /** May a send use the transport now? Half-open lets one trial through at a time. */
  tryAcquire(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.cooldownMs) return false;
      this.move('half_open', `cooldown of ${this.cooldownMs} ms over; one trial send`);
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** The transport answered (a recipient's refusal counts: the server is up). */
  succeeded(): void {
    this.consecutiveFailures = 0;
    this.trialInFlight = false;
    if (this.current !== 'closed') this.move('closed', 'a send went through');
  }

  /** The transport itself failed: refused, timed out, or answered 421. */
  failed(reason: string): void {
    this.trialInFlight = false;
    this.consecutiveFailures += 1;
    if (this.current === 'half_open') this.open(`the trial send failed: ${reason}`);
    else if (this.current === 'closed' && this.consecutiveFailures >= this.threshold) this.open(`${this.consecutiveFailures} consecutive failures, the last: ${reason}`);
  }

  private open(why: string): void {
    this.openedAt = this.now();
    this.move('open', `${why}; skipped for ${this.cooldownMs} ms`);
  }

  private move(to: CircuitState, why: string): void {
    const from = this.current;
    this.current = to;
    this.onChange(from, to, why);
  }
}
