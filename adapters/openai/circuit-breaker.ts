/**
 * Opens after `threshold` failures in a row; while open nothing is tried. After `openMs` one trial
 * call is let through (half open): a success closes it, a failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trial = false;

  constructor(
    private readonly threshold: number,
    private readonly openMs: number,
  ) {}

  state(now: number): 'closed' | 'open' | 'half_open' {
    if (this.openedAt === undefined) return 'closed';
    return now - this.openedAt >= this.openMs ? 'half_open' : 'open';
  }

  /** Whether a call may go now; in the half-open state only one goes until it is settled. */
  allow(now: number): boolean {
    const state = this.state(now);
    if (state === 'closed') return true;
    if (state === 'open' || this.trial) return false;
    this.trial = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trial = false;
  }

  /** Records a failure; true when this one opened the breaker. */
  failure(now: number): boolean {
    this.failures++;
    const wasTrial = this.trial;
    this.trial = false;
    if (wasTrial || this.failures >= this.threshold) {
      const opened = this.openedAt === undefined || wasTrial;
      this.openedAt = now;
      return opened;
    }
    return false;
  }
}
