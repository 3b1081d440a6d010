import { describe, expect, it } from 'vitest';
import { CronScheduler } from '../../adapters/scheduler/cron.scheduler.ts';
import { recordingLogger } from '../support/logger.ts';

describe('the node-cron scheduler', () => {
  it('runs a job on its schedule, never two runs at once, and waits for a run in flight when stopped', async () => {
    let runs = 0;
    let running = 0;
    let overlapped = false;
    const logger = recordingLogger();
    const scheduler = new CronScheduler(
      [
        {
          name: 'tick',
          schedule: '* * * * * *',
          run: async () => {
            running++;
            overlapped ||= running > 1;
            await new Promise((r) => setTimeout(r, 1_500));
            running--;
            runs++;
          },
        },
        { name: 'failing', schedule: '* * * * * *', run: async () => Promise.reject(new Error('boom')) },
      ],
      logger,
    );
    scheduler.start();
    const deadline = Date.now() + 8_000;
    while (runs < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(overlapped).toBe(false);
    expect(running).toBe(0);
    expect(logger.records.some((r) => r.level === 'error' && r.msg === 'scheduled job failed')).toBe(true);
  }, 15_000);
});
