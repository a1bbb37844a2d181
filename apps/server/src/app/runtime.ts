import { anchorFileFor } from '../platform/audit/anchor';
import { AuditLog } from '../platform/audit/audit-log';
import { randomId, systemClock, type Clock, type IdGenerator } from '../platform/clock';
import type { Config } from '../platform/config';
import { createPasswordHasher, PRODUCTION_ARGON2, type PasswordHasherOptions } from '../platform/crypto/passwords';
import { migrateToLatest, openDatabase, type DbHandle } from '../platform/db/database';
import type { KeyProvider } from '../platform/keys/key-provider';
import { closeKeyProvider, openKeyProvider } from '../platform/keys/open-key-provider';
import type { AppDeps } from '../kernel/context';
import { BlobStore } from '../platform/blobstore/blob-store';
import { blobDirFor, sqliteFileFor } from '../platform/data-paths';
import { freeBytesAt, StorageHealth } from '../platform/storage-health';

export interface RuntimeOptions {
  /** Create the key ring when missing (server start, init); false for commands that must not. */
  createKeys?: boolean;
  keys?: KeyProvider;
  clock?: Clock;
  ids?: IdGenerator;
  argon2?: PasswordHasherOptions;
  pgSchema?: string;
  migrate?: boolean;
  /**
   * Sign the audit head every `auditCheckpointSeconds` when it moved (the server). Commands and
   * tests leave it off; every runtime signs what it appended when it closes.
   */
  checkpointTimer?: { onError: (err: unknown) => void };
}

/** Opens keys and database and wires the platform services; shared by server, CLI and tests. */
export async function openRuntime(config: Config, opts: RuntimeOptions = {}): Promise<AppDeps> {
  const keys = opts.keys ?? openKeyProvider(config, { sealingKey: process.env.KHOMAT_MASTER_KEY, create: opts.createKeys ?? true });
  let dbh: DbHandle;
  try {
    if (config.databaseUrl) {
      dbh = await openDatabase({ databaseUrl: config.databaseUrl, ...(opts.pgSchema ? { pgSchema: opts.pgSchema } : {}) });
    } else {
      dbh = await openDatabase({ sqliteFile: sqliteFileFor(config), sqliteKey: keys.databaseKey() });
    }
  } catch (e) {
    if (!opts.keys) closeKeyProvider(keys);
    throw e;
  }
  if (!opts.keys) {
    // Keys opened here are released with the database (an HSM session, so a CLI process exits clean).
    const closeDb = dbh.close;
    dbh = {
      ...dbh,
      close: async () => {
        try {
          await closeDb();
        } finally {
          closeKeyProvider(keys);
        }
      },
    };
  }
  if (opts.migrate ?? true) await migrateToLatest(dbh.db, dbh.pgSchema);
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? randomId;
  const audit = new AuditLog({
    dialect: dbh.dialect,
    keys,
    clock,
    ids,
    checkpointEvery: config.auditCheckpointEvery,
    anchorFile: anchorFileFor(config.keyDir),
    db: dbh.db,
  });
  const timer = opts.checkpointTimer ? startCheckpointTimer(audit, dbh, config.auditCheckpointSeconds, opts.checkpointTimer.onError) : undefined;
  // A clean close signs the head of what this process wrote (the server: whatever moved), so the
  // chain never ends in unsigned events after a clean stop, and anchors it outside the database.
  const closeWithoutCheckpoint = dbh.close;
  dbh = {
    ...dbh,
    close: async () => {
      try {
        if (timer) await timer.stop();
        if (timer || audit.hasUnsignedAppends()) await audit.checkpointHead(dbh.db);
        await audit.settle(dbh.db);
      } finally {
        await closeWithoutCheckpoint();
      }
    },
  };
  const passwords = createPasswordHasher(opts.argon2 ?? PRODUCTION_ARGON2);
  const blobs = new BlobStore({ dir: blobDirFor(config), keys, ids, clock });
  // "Full" ends when a free-space check finds room for at least one upload of the largest size.
  const storage = new StorageHealth({ clock, freeBytes: () => freeBytesAt(config.dataDir), enoughBytes: config.maxUploadMb * 1024 * 1024 });
  return { config, dbh, keys, audit, clock, ids, passwords, blobs, storage };
}

/** Signs the audit head every `seconds` when it moved; one run at a time, never keeps the process alive. */
function startCheckpointTimer(audit: AuditLog, dbh: DbHandle, seconds: number, onError: (err: unknown) => void): { stop: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running
      .then(async () => {
        await audit.checkpointHead(dbh.db);
        await audit.syncAnchor(dbh.db);
      })
      // The next tick or the shutdown signs it; the verifier reports a long unsigned tail meanwhile.
      .catch(onError);
  };
  const handle = setInterval(tick, seconds * 1000);
  handle.unref();
  return {
    stop: async () => {
      clearInterval(handle);
      await running;
    },
  };
}
