/**
 * A task run every `intervalMs`, re-armed only after each run ends (so runs never overlap and a slow
 * run delays the next instead of piling up), and wakeable early. A run that throws is reported to
 * `onError`, never left as an unhandled rejection; the schedule goes on.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly body: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(): void {
    this.arm(0);
  }

  /** Runs now unless a run is already going (it re-arms itself when done). */
  wake(): void {
    if (this.stopped || this.running) return;
    this.arm(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.body()
        .then(() => undefined, this.onError)
        .finally(() => {
          this.running = null;
          this.arm(this.intervalMs);
        });
    }, ms);
    this.timer.unref();
  }
}
