import path from 'node:path';
import type { Config } from './config';

// Where the embedded database and the encrypted files live under the data directory: the runtime
// opens them there, backup and restore copy them from and to there.

export const SQLITE_FILE_NAME = 'khomat.db';

export function blobDirFor(config: Pick<Config, 'dataDir'>): string {
  return path.resolve(config.dataDir, 'blobs');
}

export function sqliteFileFor(config: Pick<Config, 'dataDir'>): string {
  return path.resolve(config.dataDir, SQLITE_FILE_NAME);
}
