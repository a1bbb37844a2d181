import os from 'node:os';
import type { AppDeps } from '../../kernel/context';
import { sealedKeyVersion, sealSmall, unsealSmall } from '../../platform/crypto/seal';

type Deps = Pick<AppDeps, 'dbh' | 'keys' | 'blobs' | 'audit'>;

export interface RotationResult {
  from: number;
  to: number;
  blobsRewrapped: number;
  secretsResealed: number;
}

/**
 * `khomat keys rotate`: a new master key version becomes current; every data key and sealed
 * TOTP seed is re-wrapped under it. Files are never re-encrypted, and old versions stay in the
 * ring, so reads keep working throughout (no downtime) and old backups stay restorable.
 */
export async function rotateMasterKey(deps: Deps, onProgress?: (done: number, total: number) => void): Promise<RotationResult> {
  const from = deps.keys.currentMasterVersion();
  const to = deps.keys.rotateMaster();
  const blobsRewrapped = await deps.blobs.rewrapAll(deps.dbh.db, (p) => onProgress?.(p.done, p.total));
  let secretsResealed = 0;
  await deps.dbh.db.transaction().execute(async (tx) => {
    const users = await tx.selectFrom('users').select(['id', 'totp_secret_sealed', 'totp_pending_sealed']).execute();
    for (const u of users) {
      const reseal = (v: string | null) => (v && sealedKeyVersion(v) !== to ? sealSmall(deps.keys, unsealSmall(deps.keys, v)) : v);
      const secret = reseal(u.totp_secret_sealed);
      const pending = reseal(u.totp_pending_sealed);
      if (secret !== u.totp_secret_sealed || pending !== u.totp_pending_sealed) {
        await tx.updateTable('users').set({ totp_secret_sealed: secret, totp_pending_sealed: pending }).where('id', '=', u.id).execute();
        secretsResealed++;
      }
    }
    await deps.audit.append(tx, {
      actorId: null,
      action: 'keys.master_rotated',
      details: { from, to, blobsRewrapped, secretsResealed, via: 'cli', osUser: os.userInfo().username },
    });
  });
  return { from, to, blobsRewrapped, secretsResealed };
}
