import type { AppDeps } from '../kernel/context';
import { notifyOverdueTakeOuts } from '../modules/take-out/take-out.usecases';

// Work the server does by the clock rather than by a request: today, telling of overdue take-outs
// (issue 13). Started by main.ts beside the audit checkpoint timer, the same way: one run at a
// time, never keeps the process alive, an error is logged and the next tick tries again. Each job
// is idempotent (a take-out is told about once), so a tick after a restart repeats nothing.

export const JOBS: readonly ((deps: AppDeps) => Promise<unknown>)[] = [notifyOverdueTakeOuts];

export function startPeriodicJobs(
  deps: AppDeps,
  opts: { seconds: number; onError: (err: unknown) => void; jobs?: readonly ((deps: AppDeps) => Promise<unknown>)[] },
): { stop: () => Promise<void> } {
  const jobs = opts.jobs ?? JOBS;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(async () => {
      for (const job of jobs) await job(deps).catch(opts.onError);
    });
  };
  const handle = setInterval(tick, opts.seconds * 1000);
  handle.unref();
  // A first run soon after start: what fell due while the server was down is told without waiting a whole period.
  const first = setTimeout(tick, 1000);
  first.unref();
  return {
    stop: async () => {
      clearInterval(handle);
      clearTimeout(first);
      await running;
    },
  };
}
