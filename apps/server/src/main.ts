import { buildApp } from './app/build-app';
import { startPeriodicJobs } from './app/jobs';
import { openRuntime } from './app/runtime';
import { sweepAtStart } from './platform/blobstore/sweep';
import { loadConfig } from './platform/config';

// `npm start`: open keys and database (creating them on first run), migrate, serve.
const config = loadConfig();
const deps = await openRuntime(config, {
  createKeys: true,
  checkpointTimer: { onError: (err) => app.log.error({ err }, 'audit checkpoint failed') },
});
const app = await buildApp(deps, {
  logger: {
    level: config.logLevel,
    redact: { paths: ['req.headers.cookie', 'req.headers["x-csrf-token"]'], remove: true },
  },
});

// What a crash left in the blob store (half-written or never-registered files) goes first; a sweep
// that fails (a directory it may not read) is logged and the server serves all the same.
await sweepAtStart(deps, app.log).catch((err: unknown) => app.log.error({ err }, 'blob store: sweep of crash leftovers failed'));

// Overdue take-outs and the like, every KHOMAT_JOBS_SECONDS (each job tells about a thing once).
const jobs = startPeriodicJobs(deps, { seconds: config.jobsSeconds, onError: (err) => app.log.error({ err }, 'periodic job failed') });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await jobs.stop();
  // Closing signs the head of the audit chain and anchors it, so a later truncation is detectable.
  await deps.dbh.close().catch((err: unknown) => app.log.error({ err }, 'audit checkpoint or database close failed'));
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ host: config.host, port: config.port });
app.log.info(`KhoMật đang chạy tại http://${config.host}:${config.port} (cơ sở dữ liệu: ${deps.dbh.dialect})`);
