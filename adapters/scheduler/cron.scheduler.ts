import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../../src/core/ports.ts';

export interface Job {
  name: string;
  /** A node-cron expression; six fields for seconds. */
  schedule: string;
  /** The zone the schedule is read in (default: the server's). */
  timeZone?: string;
  run(): Promise<unknown>;
}

/** node-cron ticks calling the services; a tick still running is not overlapped. */
export class CronScheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly jobs: readonly Job[],
    private readonly logger: Logger,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const task = cron.createTask(
        job.schedule,
        async () => {
          const run = job
            .run()
            .catch((err) => this.logger.error({ job: job.name, err: (err as Error).message }, 'scheduled job failed'));
          this.inFlight.add(run);
          await run;
          this.inFlight.delete(run);
        },
        { name: job.name, noOverlap: true, ...(job.timeZone ? { timezone: job.timeZone } : {}) },
      );
      task.start();
      this.tasks.push(task);
    }
  }

  /** Stops the ticks and waits for the runs in flight. */
  async stop(): Promise<void> {
    for (const task of this.tasks) await task.stop();
    await Promise.all(this.inFlight);
  }
}
