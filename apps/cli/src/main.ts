import { Command } from 'commander';
import { ROLE_TABLE, CLEARANCE_LABEL_VI } from '@khomat/policy';
import { anchorFileFor, readAnchor } from '../../server/src/platform/audit/anchor';
import { checkpointCode } from '../../server/src/platform/audit/canonical';
import { verifyWithAnchor } from '../../server/src/modules/audit/audit.usecases';
import { isDomainError } from '../../server/src/platform/errors';
import { INTEGRITY_REASON_VI, type IntegrityReason } from '../../server/src/platform/blobstore/blob-errors';
import { completeSetup, isInitialized } from '../../server/src/modules/setup/setup.usecases';
import { loadDemo } from '../../server/src/modules/setup/demo';
import { rotateMasterKey } from '../../server/src/modules/keys/keys.usecases';
import { promptHidden } from './prompt';
import { progressBar } from './progress';
import { backupCommands } from './backup-commands';
import { CliExit, withRuntime } from './runtime';

// The `khomat` command: set-up, demo data, audit verification, key rotation, file check, backup. It calls the
// server's use cases directly (no HTTP), with the same configuration as `npm start`.

const program = new Command();
program.name('khomat').description('KhoMật — công cụ quản trị (thiết lập, dữ liệu mẫu, nhật ký, khoá, sao lưu)').showHelpAfterError();

program
  .command('init')
  .description('Thiết lập lần đầu: tạo cơ quan (đơn vị gốc), quản trị viên đầu tiên và Thủ trưởng cơ quan')
  .requiredOption('--agency <name>', 'tên cơ quan')
  .requiredOption('--admin <username>', 'tên đăng nhập của quản trị viên')
  .requiredOption('--head <username>', 'tên đăng nhập của Thủ trưởng cơ quan (người xác nhận đầu tiên các thay đổi tài khoản)')
  .option('--head-name <name>', 'họ và tên Thủ trưởng cơ quan', 'Thủ trưởng cơ quan')
  .option('--head-position <text>', 'chức vụ của Thủ trưởng cơ quan', 'Thủ trưởng cơ quan')
  .option('--code <code>', 'mã cơ quan', 'CQ')
  .option('--parent-body <name>', 'cơ quan chủ quản / cấp trên', 'Chưa khai báo')
  .option('--full-name <name>', 'họ và tên quản trị viên', 'Quản trị hệ thống')
  .option('--position <text>', 'chức vụ của quản trị viên', 'Quản trị hệ thống')
  .action(
    async (o: {
      agency: string;
      admin: string;
      head: string;
      headName: string;
      headPosition: string;
      code: string;
      parentBody: string;
      fullName: string;
      position: string;
    }) => {
      if (o.head.toLowerCase() === o.admin.toLowerCase()) throw new CliExit(2, 'Quản trị viên và Thủ trưởng cơ quan phải là hai tài khoản khác nhau.');
      const password = process.env.KHOMAT_ADMIN_PASSWORD || (await promptHidden('Mật khẩu quản trị viên: '));
      const headPassword = process.env.KHOMAT_HEAD_PASSWORD || (await promptHidden('Mật khẩu tạm thời của Thủ trưởng cơ quan: ', 'KHOMAT_HEAD_PASSWORD'));
      await withRuntime({ createKeys: true }, async (deps) => {
        if (await isInitialized(deps)) throw new CliExit(2, 'Hệ thống đã được thiết lập trước đó; không làm gì thêm.');
        await completeSetup(deps, {
          agency: { name: o.agency, code: o.code, parentBody: o.parentBody },
          admin: { username: o.admin, fullName: o.fullName, position: o.position, password },
          head: { username: o.head, fullName: o.headName, position: o.headPosition, password: headPassword },
        });
        console.log(`Đã thiết lập cơ quan "${o.agency}", quản trị viên "${o.admin.toLowerCase()}" và Thủ trưởng cơ quan "${o.head.toLowerCase()}".`);
        console.log('Lần đăng nhập đầu tiên sẽ yêu cầu đăng ký mã xác thực hai lớp (TOTP); Thủ trưởng cơ quan đặt mật khẩu của mình ở lần đăng nhập đầu.');
      });
    },
  );

program
  .command('demo')
  .description('Nạp cơ quan mẫu (Sở Ngoại vụ) với một tài khoản cho mỗi vai trò — chỉ vào hệ thống còn trống')
  .action(async () => {
    await withRuntime({ createKeys: true }, async (deps) => {
      if (await isInitialized(deps)) throw new CliExit(2, 'Hệ thống đã có dữ liệu; chỉ nạp dữ liệu mẫu vào một hệ thống mới (thư mục data trống).');
      const r = await loadDemo(deps);
      console.log('Đã nạp cơ quan mẫu. Các tài khoản (mật khẩu chung: ' + r.password + '):');
      for (const u of r.users) {
        const roles = u.roles.map((x) => ROLE_TABLE[x].labelVi).join(', ');
        const note = u.pending ? ' — mật khẩu vừa được đặt lại, chờ cán bộ bảo mật xác nhận' : '';
        console.log(
          `  ${u.username.padEnd(11)} ${u.fullName.padEnd(22)} ${roles.padEnd(22)} mức tiếp cận: ${CLEARANCE_LABEL_VI[u.clearance].padEnd(9)} ${u.position}${note}`,
        );
      }
      console.log('Các vai trò trên Cán bộ sẽ đăng ký TOTP ở lần đăng nhập đầu. Chạy "npm start" rồi mở http://127.0.0.1:8080');
    });
  });

const audit = program.command('audit').description('Nhật ký kiểm tra');
audit
  .command('verify')
  .description('Kiểm tra chuỗi băm, chuỗi điểm kiểm tra đã ký và tệp neo cạnh các khoá; mã thoát 0 nếu nguyên vẹn, 1 nếu bị sửa, xoá hoặc thiếu')
  .option('--anchor <code>', 'mã neo ghi trong sổ giấy (khomat audit anchor): điểm kiểm tra đó phải còn trong cơ sở dữ liệu')
  .action(async (o: { anchor?: string }) => {
    await withRuntime({ createKeys: false }, async (deps) => {
      const bar = progressBar('Kiểm tra nhật ký');
      const r = await verifyWithAnchor(deps, { onProgress: (d, t) => bar.update(d, t), ...(o.anchor !== undefined ? { anchorCode: o.anchor } : {}) });
      bar.stop();
      if (r.ok) {
        const last = r.lastCheckpoint
          ? `điểm kiểm tra cuối ở số ${r.lastCheckpoint.seq} (${r.lastCheckpoint.signedAt}, mã ${r.lastCheckpoint.code})`
          : 'chưa có điểm kiểm tra';
        console.log(`Nhật ký nguyên vẹn: ${r.count} sự kiện, ${r.checkpoints} điểm kiểm tra đã ký, đầu chuỗi #${r.headSeq} ${r.headHash.slice(0, 16)}…`);
        console.log(
          `Tệp neo: ${r.anchored ?? 0} điểm kiểm tra đều có trong cơ sở dữ liệu; ${last}.${o.anchor ? ` Mã neo ${o.anchor.trim().toUpperCase()} khớp.` : ''}`,
        );
        return;
      }
      const at = r.badSeq !== null ? ` tại #${r.badSeq}${r.badId ? ` (id ${r.badId})` : ''}` : '';
      throw new CliExit(1, `NHẬT KÝ BỊ THAY ĐỔI${at}: ${r.reason}. Đã kiểm tra ${r.count} sự kiện trước đó.`);
    });
  });
audit
  .command('anchor')
  .description('In điểm kiểm tra đã ký mới nhất (số, thời điểm, mã ngắn) để ghi vào sổ giấy; đối chiếu sau bằng "audit verify --anchor <mã>"')
  .action(async () => {
    await withRuntime({ createKeys: false }, async (deps) => {
      const last = await deps.dbh.db.selectFrom('audit_checkpoints').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
      if (!last) throw new CliExit(1, 'Chưa có điểm kiểm tra đã ký nào trong nhật ký.');
      const anchored = readAnchor(anchorFileFor(deps.config.keyDir), deps.keys.signingPublicKey());
      const inFile = anchored?.ok === true && anchored.entries.some((e) => e.seq === Number(last.seq) && e.signature === last.signature);
      console.log(`Điểm kiểm tra số ${last.seq}, ký lúc ${last.signed_at}`);
      console.log(`Mã neo: ${checkpointCode(last.signature)}`);
      if (!inFile) console.log(`Cảnh báo: điểm kiểm tra này chưa có trong tệp neo ${anchorFileFor(deps.config.keyDir)}; chạy "khomat audit verify".`);
    });
  });

const keys = program.command('keys').description('Khoá mã hoá');
keys
  .command('rotate')
  .description('Tạo khoá chủ mới và bọc lại mọi khoá dữ liệu (không mã hoá lại tệp, không gián đoạn việc đọc)')
  .action(async () => {
    await withRuntime({ createKeys: false }, async (deps) => {
      const bar = progressBar('Bọc lại khoá');
      const r = await rotateMasterKey(deps, (d, t) => bar.update(d, t));
      bar.stop();
      console.log(`Đã chuyển khoá chủ từ phiên bản ${r.from} sang ${r.to}: ${r.blobsRewrapped} tệp, ${r.secretsResealed} bí mật TOTP được bọc lại.`);
      console.log('Hãy sao lưu lại thư mục khoá (xem docs/operations.md).');
    });
  });

const files = program.command('files').description('Tệp đã lưu (mã hoá)');
files
  .command('verify')
  .description(
    'Giải mã thử mọi tệp đã lưu, trong bộ nhớ (không ghi bản rõ ra đĩa): thẻ xác thực từng khối, kích thước, mã băm SHA-256 so với cơ sở dữ liệu; mã thoát 0 nếu mọi tệp nguyên vẹn, 1 nếu có tệp hỏng hoặc thiếu',
  )
  .action(async () => {
    await withRuntime({ createKeys: false }, async (deps) => {
      const bar = progressBar('Kiểm tra tệp');
      const r = await deps.blobs.verifyAll(deps.dbh.db, (d, t) => bar.update(d, t));
      bar.stop();
      if (r.failed.length === 0) {
        console.log(`Mọi tệp nguyên vẹn: đã kiểm tra ${r.checked} tệp.`);
        return;
      }
      // Ids only: a file's name or summary is content metadata and never goes to a console.
      for (const f of r.failed) console.error(`  tệp ${f.id}: ${INTEGRITY_REASON_VI[f.reason as IntegrityReason] ?? f.reason}`);
      throw new CliExit(1, `CÓ ${r.failed.length} TỆP HỎNG HOẶC THIẾU trong ${r.checked} tệp đã kiểm tra.`);
    });
  });

backupCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CliExit) {
    console.error(e.message);
    process.exit(e.code);
  }
  if (isDomainError(e)) {
    console.error(`Lỗi: ${e.message} [${e.code}]`);
    process.exit(2);
  }
  console.error(`Lỗi: ${(e as Error).message}`);
  process.exit(2);
}
