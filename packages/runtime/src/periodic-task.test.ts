import { describe, expect, it } from 'vitest';
import { PeriodicTask } from './periodic-task';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PeriodicTask', () => {
  it('runs at start and on its interval, never two runs at once, and reports errors without stopping', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const errors: unknown[] = [];
    const task = new PeriodicTask(
      20,
      async () => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(30);
        active--;
        if (runs === 2) throw new Error('second run fails');
      },
      (err) => errors.push(err),
    );
    task.start();
    task.wake(); // ignored: a run is about to start or running
    await sleep(250);
    await task.stop();
    const after = runs;
    await sleep(80);
    expect(maxActive).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(runs).toBe(after);
    expect(errors).toEqual([new Error('second run fails')]);
  });
});
