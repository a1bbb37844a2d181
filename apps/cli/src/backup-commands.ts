import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { createBackup, verifyBackup, type BackupSummary, type ProgressFn } from '../../server/src/modules/backup/backup';
import { closeKeyProvider, openKeyProvider } from '../../server/src/platform/keys/open-key-provider';
import { loadConfig } from '../../server/src/platform/config';
import { progressBar } from './progress';
import { restoreIntoTarget } from './restore-target';
import { withRuntime } from './runtime';

const PHASES: Record<string, string> = { tables: 'Bảng dữ liệu', blobs: 'Tệp mã hoá', verify: 'Kiểm tra', restore: 'Khôi phục' };

/** One bar per phase, on a terminal only. */
function phasedProgress(): { onProgress: ProgressFn; stop: () => void } {
  let phase = '';
  let bar = progressBar('');
  return {
    onProgress: (p) => {
      if (p.phase !== phase) {
        bar.stop();
        phase = p.phase;
        bar = progressBar(PHASES[p.phase] ?? p.phase);
      }
      bar.update(p.done, p.total);
    },
    stop: () => bar.stop(),
  };
}

function describe(s: BackupSummary): string {
  const rows = Object.values(s.tables).reduce((a, b) => a + b, 0);
  return `${rows} dòng dữ liệu, ${s.blobs} tệp, nhật ký đến sự kiện #${s.auditHead.seq}, ${(s.bytes / 1024 / 1024).toFixed(1)} MiB, tạo lúc ${s.createdAt}`;
}

// `khomat backup <file>`, `khomat backup verify <file>`, `khomat restore <file>`.
export function backupCommands(program: Command): void {
  program
    .command('backup')
    .description('Sao lưu trực tuyến, mã hoá (cơ sở dữ liệu + tệp + bản kê mã băm); "backup verify <tệp>" để kiểm tra một bản sao lưu')
    .argument('<file-or-verify>', 'tệp sao lưu cần tạo, hoặc "verify"')
    .argument('[file]', 'tệp sao lưu cần kiểm tra (với "verify")')
    .action(async (first: string, second: string | undefined) => {
      if (first === 'verify') {
        if (!second) throw new Error('Thiếu tên tệp: khomat backup verify <tệp>');
        const config = loadConfig();
        const keys = openKeyProvider(config, { sealingKey: process.env.KHOMAT_MASTER_KEY, create: false });
        const p = phasedProgress();
        const s = await verifyBackup(keys, path.resolve(second), p.onProgress).finally(() => {
          p.stop();
          closeKeyProvider(keys);
        });
        console.log(`Bản sao lưu nguyên vẹn: ${describe(s)}.`);
        return;
      }
      await withRuntime({ createKeys: false }, async (deps) => {
        const p = phasedProgress();
        const file = path.resolve(first);
        const s = await createBackup(deps, file, p.onProgress).finally(p.stop);
        await deps.dbh.db.transaction().execute((tx) =>
          deps.audit.append(tx, {
            actorId: null,
            action: 'backup.created',
            details: { file: path.basename(file), bytes: s.bytes, auditHeadSeq: s.auditHead.seq, via: 'cli', osUser: os.userInfo().username },
          }),
        );
        console.log(`Đã sao lưu vào ${file}: ${describe(s)}.`);
        console.log('Hãy chạy "npx khomat backup verify" với tệp này, và nhớ sao lưu thư mục khoá riêng (docs/operations.md).');
      });
    });

  program
    .command('restore')
    .description('Khôi phục một bản sao lưu vào thư mục dữ liệu (và cơ sở dữ liệu) còn trống; kiểm tra mọi mã băm trước')
    .argument('<file>', 'tệp sao lưu')
    .action(async (file: string) => {
      const p = phasedProgress();
      // A refused restore leaves the target as it was: no database file, no tables, no blobs.
      const s = await restoreIntoTarget(loadConfig(), { createKeys: false }, path.resolve(file), p.onProgress, async (deps, summary) => {
        p.stop();
        await deps.dbh.db.transaction().execute((tx) =>
          deps.audit.append(tx, {
            actorId: null,
            action: 'backup.restored',
            details: {
              file: path.basename(file),
              createdAt: summary.createdAt,
              auditHeadSeq: summary.auditHead.seq,
              via: 'cli',
              osUser: os.userInfo().username,
            },
          }),
        );
        // The anchor beside the keys may hold checkpoints signed after this backup was made: the
        // restore rolled the chain back on purpose, so the anchor is told (and keeps the old lines).
        await deps.audit.checkpointHead(deps.dbh.db, { restored: true });
      }).finally(p.stop);
      console.log(`Đã khôi phục: ${describe(s)}.`);
    });
}
