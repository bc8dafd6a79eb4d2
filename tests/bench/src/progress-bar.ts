/**
 * A one-line progress bar on stderr: redrawn in place (at most ten times a second) on a terminal,
 * a plain line at each quarter otherwise (CI logs), so either way a run is seen to advance.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastQuarter = -1;
  private done = 0;
  private detail = '';

  constructor(
    private readonly label: string,
    private total: number,
    private readonly unit: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.draw(true);
  }

  /** The total may grow (an open loop learns its arrivals as they come). */
  update(done: number, detail = '', total = this.total): void {
    this.done = done;
    this.detail = detail;
    this.total = total;
    this.draw(false);
  }

  finish(detail = this.detail): void {
    this.done = this.total;
    this.detail = detail;
    this.draw(true);
    if (this.stream.isTTY) this.stream.write('\n');
  }

  private draw(force: boolean): void {
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const counts = `${this.done}/${this.total} ${this.unit}`;
    if (this.stream.isTTY) {
      const now = Date.now();
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 24;
      const filled = Math.round(fraction * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      const line = `${this.label} ${bar} ${String(Math.floor(fraction * 100)).padStart(3)}% ${counts} ${seconds}s ${this.detail}`;
      const columns = this.stream.columns || 120;
      this.stream.write(`\r${line.slice(0, columns - 1).padEnd(columns - 1)}`);
      return;
    }
    // The last line is finish()'s: update() prints the quarters before it.
    const quarter = Math.min(3, Math.floor(fraction * 4));
    if (!force && quarter === this.lastQuarter) return;
    this.lastQuarter = quarter;
    this.stream.write(`${this.label}: ${Math.floor(fraction * 100)}% ${counts} ${seconds}s ${this.detail}\n`);
  }
}
