import type { Role } from '@khomat/policy';
import type { AppDeps } from '../../app/context';
import * as orgRepo from '../org/org.repository';
import { insertNewUser } from '../org/org.usecases';
import { completeSetup } from './setup.usecases';
import { catalogSearchText } from '../catalog/catalog.rules';

// `npm run demo`: an invented agency modelled on a provincial Department of Foreign Affairs,
// with one account per role. Names are invented; nothing here is real.

export const DEMO_PASSWORD = 'Demo@2026khomat';

export const DEMO_AGENCY = { name: 'Sở Ngoại vụ tỉnh Minh Sơn (dữ liệu mẫu)', code: 'SNV-MS', parentBody: 'Ủy ban nhân dân tỉnh Minh Sơn' };

export const DEMO_UNITS = [
  { key: 'vp', name: 'Văn phòng Sở', code: 'VP' },
  { key: 'lsbg', name: 'Phòng Lãnh sự - Biên giới', code: 'LSBG' },
  { key: 'htqt', name: 'Phòng Hợp tác quốc tế', code: 'HTQT' },
  { key: 'ttdt', name: 'Trung tâm Dịch thuật và Dịch vụ đối ngoại', code: 'TTDT' },
] as const;

type UnitKey = (typeof DEMO_UNITS)[number]['key'] | 'root';

export const DEMO_USERS: { username: string; fullName: string; position: string; unit: UnitKey; roles: Role[]; clearance: 'NONE' | 'CONFIDENTIAL' | 'SECRET' | 'TOP_SECRET' }[] = [
  { username: 'quantri', fullName: 'Đỗ Minh Quân', position: 'Chuyên viên công nghệ thông tin', unit: 'vp', roles: ['admin'], clearance: 'NONE' },
  { username: 'vanthu', fullName: 'Nguyễn Thị Thu Hà', position: 'Văn thư', unit: 'vp', roles: ['clerk'], clearance: 'SECRET' },
  { username: 'canbo', fullName: 'Trần Văn Bình', position: 'Chuyên viên Phòng Lãnh sự - Biên giới', unit: 'lsbg', roles: ['officer'], clearance: 'SECRET' },
  { username: 'giamdoc', fullName: 'Lê Hoàng Sơn', position: 'Giám đốc Sở', unit: 'root', roles: ['head'], clearance: 'TOP_SECRET' },
  { username: 'baomat', fullName: 'Phạm Thị Lan', position: 'Chánh Văn phòng, phụ trách bảo vệ bí mật nhà nước', unit: 'vp', roles: ['security_officer'], clearance: 'TOP_SECRET' },
  { username: 'thanhtra', fullName: 'Vũ Đức Thành', position: 'Thanh tra viên (Đoàn kiểm tra của tỉnh)', unit: 'root', roles: ['inspector'], clearance: 'NONE' },
  { username: 'bientich', fullName: 'Hoàng Mai Anh', position: 'Biên dịch viên', unit: 'ttdt', roles: ['officer'], clearance: 'CONFIDENTIAL' },
];

/**
 * A small INVENTED catalogue in the foreign-affairs field, marked as sample data (removable by
 * the security officer). It is not the real danh mục BMNN, whose decisions are themselves secret.
 */
export const DEMO_CATALOG = [
  { article: '1', clause: '1', point: 'a', level: 'TOP_SECRET', description: 'Phương án, lập trường đàm phán về phân định biên giới chưa công bố (mẫu)' },
  { article: '1', clause: '1', point: 'b', level: 'SECRET', description: 'Báo cáo đánh giá quan hệ với đối tác chiến lược chưa công bố (mẫu)' },
  { article: '1', clause: '2', point: 'a', level: 'SECRET', description: 'Kế hoạch, nội dung làm việc với đoàn cấp cao nước ngoài chưa công bố (mẫu)' },
  { article: '1', clause: '3', point: null, level: 'CONFIDENTIAL', description: 'Hồ sơ giải quyết vụ việc lãnh sự liên quan công dân ở nước ngoài chưa công bố (mẫu)' },
  { article: '2', clause: '1', point: null, level: 'CONFIDENTIAL', description: 'Kế hoạch tổ chức hội nghị quốc tế tại tỉnh trong giai đoạn chuẩn bị (mẫu)', shorterYears: 3 },
] as const;

export async function loadDemo(deps: Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids' | 'passwords' | 'config'>) {
  const admin = DEMO_USERS[0]!;
  const { userId: adminId, unitId: rootId } = await completeSetup(deps, {
    agency: DEMO_AGENCY,
    admin: { username: admin.username, fullName: admin.fullName, position: admin.position, password: DEMO_PASSWORD },
  });
  await deps.dbh.db.transaction().execute(async (tx) => {
    const unitIds: Record<string, string> = { root: rootId };
    for (const u of DEMO_UNITS) {
      const id = deps.ids();
      await orgRepo.insertUnit(tx, { id, parent_id: rootId, name: u.name, code: u.code, parent_body: null, closed_at: null, closed_reason: null, created_at: deps.clock.now().toISOString() });
      unitIds[u.key] = id;
    }
    await orgRepo.updateUserProfile(tx, adminId, { unit_id: unitIds.vp! });
    for (const u of DEMO_USERS.slice(1)) {
      await insertNewUser(deps, tx, { username: u.username, fullName: u.fullName, unitId: unitIds[u.unit]!, position: u.position, roles: u.roles, password: DEMO_PASSWORD, clearance: u.clearance, mustChangePassword: false });
    }
    const now = deps.clock.now().toISOString();
    for (const c of DEMO_CATALOG) {
      const row = { decisionNumber: 'QĐ-MẪU 01/2026 (dữ liệu mẫu)', decisionDate: '2026-01-06', field: 'Ngoại giao', article: c.article, clause: c.clause, point: c.point, description: c.description, level: c.level, shorterPeriodYears: 'shorterYears' in c ? c.shorterYears : null };
      await tx
        .insertInto('catalog_items')
        .values({ id: deps.ids(), decision_number: row.decisionNumber, decision_date: row.decisionDate, field: row.field, article: row.article, clause: row.clause, point: row.point, description: row.description, level: row.level, shorter_period: row.shorterPeriodYears ? JSON.stringify({ years: row.shorterPeriodYears }) : null, sample: 1, search_text: catalogSearchText(row), created_at: now })
        .execute();
    }
    await deps.audit.append(tx, { actorId: null, action: 'setup.demo_loaded', details: { units: DEMO_UNITS.length + 1, users: DEMO_USERS.length, sampleCatalog: DEMO_CATALOG.length } });
  });
  return { users: DEMO_USERS.map(({ username, fullName, roles, clearance }) => ({ username, fullName, roles, clearance })), password: DEMO_PASSWORD };
}
