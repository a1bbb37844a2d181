import { Command } from 'commander';
import { ROLE_TABLE, CLEARANCE_LABEL_VI } from '@khomat/policy';
import { verifyAuditChain } from '../../server/src/platform/audit/audit-log';
import { isDomainError } from '../../server/src/platform/errors';
import { completeSetup, isInitialized } from '../../server/src/modules/setup/setup.usecases';
import { loadDemo } from '../../server/src/modules/setup/demo';
import { rotateMasterKey } from '../../server/src/modules/keys/keys.usecases';
import { promptHidden } from './prompt';
import { progressBar } from './progress';
import { backupCommands } from './backup-commands';
import { CliExit, withRuntime } from './runtime';

// The `khomat` command: set-up, demo data, audit verification, key rotation, backup. It calls the
// server's use cases directly (no HTTP), with the same configuration as `npm start`.

const program = new Command();
program.name('khomat').description('KhoMật — công cụ quản trị (thiết lập, dữ liệu mẫu, nhật ký, khoá, sao lưu)').showHelpAfterError();

program
  .command('init')
  .description('Thiết lập lần đầu: tạo cơ quan (đơn vị gốc) và quản trị viên đầu tiên')
  .requiredOption('--agency <name>', 'tên cơ quan')
  .requiredOption('--admin <username>', 'tên đăng nhập của quản trị viên')
  .option('--code <code>', 'mã cơ quan', 'CQ')
  .option('--parent-body <name>', 'cơ quan chủ quản / cấp trên', 'Chưa khai báo')
  .option('--full-name <name>', 'họ và tên quản trị viên', 'Quản trị hệ thống')
  .option('--position <text>', 'chức vụ của quản trị viên', 'Quản trị hệ thống')
  .action(async (o: { agency: string; admin: string; code: string; parentBody: string; fullName: string; position: string }) => {
    const password = process.env.KHOMAT_ADMIN_PASSWORD || (await promptHidden('Mật khẩu quản trị viên: '));
    await withRuntime({ createKeys: true }, async (deps) => {
      if (await isInitialized(deps)) throw new CliExit(2, 'Hệ thống đã được thiết lập trước đó; không làm gì thêm.');
      await completeSetup(deps, {
        agency: { name: o.agency, code: o.code, parentBody: o.parentBody },
        admin: { username: o.admin, fullName: o.fullName, position: o.position, password },
      });
      console.log(`Đã thiết lập cơ quan "${o.agency}" và quản trị viên "${o.admin.toLowerCase()}".`);
      console.log('Lần đăng nhập đầu tiên sẽ yêu cầu đăng ký mã xác thực hai lớp (TOTP).');
    });
  });

program
  .command('demo')
  .description('Nạp cơ quan mẫu (Sở Ngoại vụ) với một tài khoản cho mỗi vai trò — chỉ vào hệ thống còn trống')
  .action(async () => {
    await withRuntime({ createKeys: true }, async (deps) => {
      if (await isInitialized(deps)) throw new CliExit(2, 'Hệ thống đã có dữ liệu; chỉ nạp dữ liệu mẫu vào một hệ thống mới (thư mục data trống).');
      const r = await loadDemo(deps);
      console.log('Đã nạp cơ quan mẫu. Các tài khoản (mật khẩu chung: ' + r.password + '):');
      for (const u of r.users) {
        console.log(`  ${u.username.padEnd(10)} ${u.fullName.padEnd(22)} ${u.roles.map((x) => ROLE_TABLE[x].labelVi).join(', ').padEnd(22)} mức tiếp cận: ${CLEARANCE_LABEL_VI[u.clearance]}`);
      }
      console.log('Các vai trò trên Cán bộ sẽ đăng ký TOTP ở lần đăng nhập đầu. Chạy "npm start" rồi mở http://127.0.0.1:8080');
    });
  });

const audit = program.command('audit').description('Nhật ký kiểm tra');
audit
  .command('verify')
  .description('Kiểm tra toàn bộ chuỗi băm và các điểm kiểm tra đã ký; mã thoát 0 nếu nguyên vẹn, 1 nếu bị sửa')
  .action(async () => {
    await withRuntime({ createKeys: false }, async (deps) => {
      const bar = progressBar('Kiểm tra nhật ký');
      const r = await verifyAuditChain(deps.dbh, deps.keys.signingPublicKey(), (d, t) => bar.update(d, t), { databaseKey: deps.keys.databaseKey() });
      bar.stop();
      if (r.ok) {
        console.log(`Nhật ký nguyên vẹn: ${r.count} sự kiện, ${r.checkpoints} điểm kiểm tra đã ký, đầu chuỗi #${r.headSeq} ${r.headHash.slice(0, 16)}…`);
        return;
      }
      throw new CliExit(1, `NHẬT KÝ BỊ THAY ĐỔI: sự kiện đầu tiên sai là #${r.badSeq ?? '?'}${r.badId ? ` (id ${r.badId})` : ''}: ${r.reason}. Đã kiểm tra ${r.count} sự kiện trước đó.`);
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
