import { openRuntime, type RuntimeOptions } from '../../server/src/app/runtime';
import type { AppDeps } from '../../server/src/kernel/context';
import { loadConfig } from '../../server/src/platform/config';

export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Opens keys and database with the server's configuration, runs `fn`, closes. */
export async function withRuntime<T>(opts: RuntimeOptions, fn: (deps: AppDeps) => Promise<T>): Promise<T> {
  const deps = await openRuntime(loadConfig(), opts);
  try {
    return await fn(deps);
  } finally {
    await deps.dbh.close();
  }
}
