import type { Config } from '../platform/config';
import type { AuditLog } from '../platform/audit/audit-log';
import type { Clock, IdGenerator } from '../platform/clock';
import type { PasswordHasher } from '../platform/crypto/passwords';
import type { DbHandle } from '../platform/db/database';
import type { KeyProvider } from '../platform/keys/key-provider';
import type { BlobStore } from '../platform/blobstore/blob-store';
import type { StorageHealth } from '../platform/storage-health';

/** Everything a use case may need, built once by the composition root. */
export interface AppDeps {
  config: Config;
  dbh: DbHandle;
  keys: KeyProvider;
  audit: AuditLog;
  clock: Clock;
  ids: IdGenerator;
  passwords: PasswordHasher;
  /** Encrypted file storage under `<dataDir>/blobs`. */
  blobs: BlobStore;
  /** Whether writes were lately refused for lack of space (the health endpoint reports it). */
  storage: StorageHealth;
}
