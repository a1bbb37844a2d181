import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppDeps } from '../kernel/context';
import { JOBS, startPeriodicJobs } from './jobs';
import { notifyOverdueTakeOuts } from '../modules/take-out/take-out.usecases';

// The periodic jobs' timer, on fake timers (no waiting, no timing assertions): a first run shortly
// after start, then one per period; runs never overlap; a failing job is reported and the others
// still run; stop waits for the run in progress and nothing runs after it.

const deps = {} as AppDeps;

describe('periodic jobs', () => {
  afterEach(() => vi.useRealTimers());

  it('tells of overdue take-outs', () => {
    expect(JOBS).toContain(notifyOverdueTakeOuts);
  });

  it('runs each job once after start, then once per period, one run at a time; a failure is reported and the rest run', async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    let release: () => void = () => {};
    let slow = true;
    const errors: unknown[] = [];
    const first = async () => {
      order.push('first');
      if (slow) {
        slow = false;
        await new Promise<void>((r) => (release = r));
      }
    };
    const failing = async () => {
      order.push('failing');
      throw new Error('boom');
    };
    const jobs = startPeriodicJobs(deps, { seconds: 60, onError: (e) => errors.push(e), jobs: [first, failing] });
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(order).toEqual(['first']);
    // The period comes while the first run still waits: the second run waits its turn.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(order).toEqual(['first']);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['first', 'failing', 'first', 'failing']);
    expect(errors).toHaveLength(2);
    await jobs.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(order).toHaveLength(4);
  });
});
