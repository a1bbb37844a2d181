import { LEVELS, type PositionKind, type Role } from '@khomat/policy';
import type { AppDeps } from '../../kernel/context';
import * as orgRepo from '../org/org.repository';
import { insertNewUser } from '../org/org.usecases';
import { completeSetup } from './setup.usecases';
import { recordChange } from '../org/account-changes.usecases';
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

export const DEMO_USERS: {
  username: string;
  fullName: string;
  position: string;
  positionKind: PositionKind;
  unit: UnitKey;
  roles: Role[];
  clearance: 'NONE' | 'CONFIDENTIAL' | 'SECRET' | 'TOP_SECRET';
}[] = [
  {
    username: 'quantri',
    fullName: 'Đỗ Minh Quân',
    position: 'Chuyên viên công nghệ thông tin',
    positionKind: 'staff',
    unit: 'vp',
    roles: ['admin'],
    clearance: 'NONE',
  },
  // The agency's văn thư keeps the agency's registers for every unit (handling rules, issue 11): her
  // account belongs to the agency itself. Designating another unit (e.g. the Văn phòng) as the one
  // whose clerks act for the agency is not modelled yet.
  {
    username: 'vanthu',
    fullName: 'Nguyễn Thị Thu Hà',
    position: 'Văn thư cơ quan',
    positionKind: 'staff',
    unit: 'root',
    roles: ['clerk'],
    clearance: 'SECRET',
  },
  {
    username: 'canbo',
    fullName: 'Trần Văn Bình',
    position: 'Chuyên viên Phòng Lãnh sự - Biên giới',
    positionKind: 'staff',
    unit: 'lsbg',
    roles: ['officer'],
    clearance: 'SECRET',
  },
  {
    username: 'giamdoc',
    fullName: 'Lê Hoàng Sơn',
    position: 'Giám đốc Sở',
    positionKind: 'agency_head',
    unit: 'root',
    roles: ['head'],
    clearance: 'TOP_SECRET',
  },
  {
    username: 'baomat',
    fullName: 'Phạm Thị Lan',
    position: 'Chánh Văn phòng, phụ trách bảo vệ bí mật nhà nước',
    positionKind: 'office_chief',
    unit: 'vp',
    roles: ['security_officer'],
    clearance: 'TOP_SECRET',
  },
  {
    username: 'thanhtra',
    fullName: 'Vũ Đức Thành',
    position: 'Thanh tra viên (Đoàn kiểm tra của tỉnh)',
    positionKind: 'staff',
    unit: 'root',
    roles: ['inspector'],
    clearance: 'NONE',
  },
  {
    username: 'bientich',
    fullName: 'Hoàng Mai Anh',
    position: 'Biên dịch viên',
    positionKind: 'staff',
    unit: 'ttdt',
    roles: ['officer'],
    clearance: 'CONFIDENTIAL',
  },
  // The deputy director (Phó Giám đốc, issue 13): by the position alone she decides nothing (the
  // authority table); she decides classifications in one field under the Giám đốc's written
  // delegation (DEMO_DELEGATION).
  {
    username: 'phogiamdoc',
    fullName: 'Ngô Thị Hạnh',
    position: 'Phó Giám đốc Sở',
    positionKind: 'deputy_agency_head',
    unit: 'root',
    roles: ['officer'],
    clearance: 'TOP_SECRET',
  },
  {
    username: 'truongphong',
    fullName: 'Đặng Quốc Việt',
    position: 'Trưởng phòng Lãnh sự - Biên giới',
    positionKind: 'unit_head',
    unit: 'lsbg',
    roles: ['head'],
    clearance: 'SECRET',
  },
  {
    username: 'vanthuttdt',
    fullName: 'Bùi Thị Ngọc',
    position: 'Văn thư Trung tâm Dịch thuật',
    positionKind: 'staff',
    unit: 'ttdt',
    roles: ['clerk'],
    clearance: 'CONFIDENTIAL',
  },
  // Her password was reset by the administrator: she has set her own, and waits for the security
  // officer to confirm face to face that it is her (Xác nhận thay đổi tài khoản).
  {
    username: 'canbohtqt',
    fullName: 'Lý Thanh Tâm',
    position: 'Chuyên viên Phòng Hợp tác quốc tế',
    positionKind: 'staff',
    unit: 'htqt',
    roles: ['officer'],
    clearance: 'SECRET',
  },
];

/** The demo agency's own titles for the positions the set-up starts with (renamed, kinds unchanged). */
const DEMO_POSITION_NAMES: Partial<Record<PositionKind, string>> = { agency_head: 'Giám đốc Sở', deputy_agency_head: 'Phó Giám đốc Sở' };

/** The agency head is created by the set-up itself (issue 11), like on a real first run. */
const DEMO_HEAD = 'giamdoc';
/** The deputy's delegation: classification decisions in one field (CV 4114/BCA-ANCTNB). */
const DEMO_DELEGATION = { delegate: 'phogiamdoc', operations: ['classify'], field: 'Ngoại giao', decisionRef: 'QĐ-MẪU 05/QĐ-SNV (dữ liệu mẫu)' };
/** The account change left waiting, so the confirmation can be seen. */
const DEMO_PENDING_IDENTITY = 'canbohtqt';

/**
 * A small INVENTED catalogue in the foreign-affairs field, marked as sample data (removable by
 * the security officer). It is not the real danh mục BMNN, whose decisions are themselves secret.
 */
export const DEMO_CATALOG = [
  { article: '1', clause: '1', point: 'a', level: 'TOP_SECRET', description: 'Phương án, lập trường đàm phán về phân định biên giới chưa công bố (mẫu)' },
  { article: '1', clause: '1', point: 'b', level: 'SECRET', description: 'Báo cáo đánh giá quan hệ với đối tác chiến lược chưa công bố (mẫu)' },
  { article: '1', clause: '2', point: 'a', level: 'SECRET', description: 'Kế hoạch, nội dung làm việc với đoàn cấp cao nước ngoài chưa công bố (mẫu)' },
  {
    article: '1',
    clause: '3',
    point: null,
    level: 'CONFIDENTIAL',
    description: 'Hồ sơ giải quyết vụ việc lãnh sự liên quan công dân ở nước ngoài chưa công bố (mẫu)',
  },
  {
    article: '2',
    clause: '1',
    point: null,
    level: 'CONFIDENTIAL',
    description: 'Kế hoạch tổ chức hội nghị quốc tế tại tỉnh trong giai đoạn chuẩn bị (mẫu)',
    shorterYears: 3,
  },
] as const;

export async function loadDemo(deps: Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids' | 'passwords' | 'config'>) {
  const admin = DEMO_USERS[0]!;
  const head = DEMO_USERS.find((u) => u.username === DEMO_HEAD)!;
  const {
    userId: adminId,
    unitId: rootId,
    headId,
  } = await completeSetup(deps, {
    agency: DEMO_AGENCY,
    admin: { username: admin.username, fullName: admin.fullName, position: admin.position, password: DEMO_PASSWORD },
    head: { username: head.username, fullName: head.fullName, position: head.position, password: DEMO_PASSWORD },
  });
  await deps.dbh.db.transaction().execute(async (tx) => {
    for (const [kind, name] of Object.entries(DEMO_POSITION_NAMES)) {
      const p = await orgRepo.findPositionOfKind(tx, kind as PositionKind);
      if (p) await orgRepo.renamePosition(tx, p.id, name);
    }
    const unitIds: Record<string, string> = { root: rootId };
    for (const u of DEMO_UNITS) {
      const id = deps.ids();
      await orgRepo.insertUnit(tx, {
        id,
        parent_id: rootId,
        name: u.name,
        code: u.code,
        parent_body: null,
        closed_at: null,
        closed_reason: null,
        created_at: deps.clock.now().toISOString(),
      });
      unitIds[u.key] = id;
    }
    await orgRepo.updateUserProfile(tx, adminId, { unit_id: unitIds.vp! });
    // Demo accounts are ready to use: the agency head keeps the shared demo password.
    await tx.updateTable('users').set({ must_change_password: 0 }).where('id', '=', headId).execute();
    const ids: Record<string, string> = { [DEMO_HEAD]: headId };
    for (const u of DEMO_USERS.slice(1)) {
      if (u.username === DEMO_HEAD) continue;
      ids[u.username] = await insertNewUser(deps, tx, {
        username: u.username,
        fullName: u.fullName,
        unitId: unitIds[u.unit]!,
        position: u.position,
        positionKind: u.positionKind,
        roles: u.roles,
        password: DEMO_PASSWORD,
        clearance: u.clearance,
        mustChangePassword: false,
      });
    }
    const now = deps.clock.now().toISOString();
    const today = now.slice(0, 10);
    await tx
      .insertInto('delegations')
      .values({
        id: deps.ids(),
        delegate_id: ids[DEMO_DELEGATION.delegate]!,
        field: DEMO_DELEGATION.field,
        valid_from: today,
        valid_to: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
        decision_ref: DEMO_DELEGATION.decisionRef,
        granted_by: headId,
        created_at: now,
        revoked_at: null,
        operations: JSON.stringify(DEMO_DELEGATION.operations),
        levels: JSON.stringify(LEVELS),
      })
      .execute();
    await recordChange(deps, tx, { actorId: adminId, userId: ids[DEMO_PENDING_IDENTITY]!, kind: 'identity', payload: { password: true } });
    for (const c of DEMO_CATALOG) {
      const row = {
        decisionNumber: 'QĐ-MẪU 01/2026 (dữ liệu mẫu)',
        decisionDate: '2026-01-06',
        field: 'Ngoại giao',
        article: c.article,
        clause: c.clause,
        point: c.point,
        description: c.description,
        level: c.level,
        shorterPeriodYears: 'shorterYears' in c ? c.shorterYears : null,
      };
      await tx
        .insertInto('catalog_items')
        .values({
          id: deps.ids(),
          decision_number: row.decisionNumber,
          decision_date: row.decisionDate,
          field: row.field,
          article: row.article,
          clause: row.clause,
          point: row.point,
          description: row.description,
          level: row.level,
          shorter_period: row.shorterPeriodYears ? JSON.stringify({ years: row.shorterPeriodYears }) : null,
          sample: 1,
          search_text: catalogSearchText(row),
          created_at: now,
        })
        .execute();
    }
    await deps.audit.append(tx, {
      actorId: null,
      action: 'setup.demo_loaded',
      details: { units: DEMO_UNITS.length + 1, users: DEMO_USERS.length, sampleCatalog: DEMO_CATALOG.length, delegations: 1, pendingAccountChanges: 1 },
    });
  });
  return {
    users: DEMO_USERS.map(({ username, fullName, position, positionKind, roles, clearance }) => ({
      username,
      fullName,
      position,
      positionKind,
      roles,
      clearance,
      pending: username === DEMO_PENDING_IDENTITY,
    })),
    password: DEMO_PASSWORD,
  };
}
