import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { foldForSearch } from '@khomat/policy';
import pg from 'pg';
import type { Actor } from '../apps/server/src/kernel/actor';
import type { AppDeps } from '../apps/server/src/kernel/context';
import { openRuntime } from '../apps/server/src/app/runtime';
import { registerIncoming } from '../apps/server/src/modules/dispatch/dispatch.usecases';
import { insertNewUser } from '../apps/server/src/modules/org/org.usecases';
import { listEntries } from '../apps/server/src/modules/registers/registers.usecases';
import { insertSearchDocs, searchDocOf } from '../apps/server/src/modules/search/search.index';
import { searchRegisters, type SearchFilter } from '../apps/server/src/modules/search/search.usecases';
import { completeSetup } from '../apps/server/src/modules/setup/setup.usecases';
import { loadConfig } from '../apps/server/src/platform/config';
import { TEST_ARGON2 } from '../apps/server/src/platform/crypto/passwords';
import type { RegisterEntryRow } from '../apps/server/src/platform/db/schema';
import { FileKeyProvider } from '../apps/server/src/platform/keys/file-key-provider';
import type { PdfResult } from './registry-pdf.child';

// Registry at agency scale (issue 3, Performance): 100k items, 300k copies, 200k recipients, 400k register
// entries generated straight into the database (big transactions; the search index filled with
// the same searchDocOf/insertSearchDocs that writeRegisterEntry uses), then register pages,
// searches and one real registration (registerIncoming) timed in-process, p50/p95, on SQLite
// (encrypted file, real key) and PostgreSQL (own schema) side by side. Targets from the issue:
// page and search p95 < 50 ms, registration p95 < 20 ms; printed as met/MISSED, never asserted.

const ITEMS = Number(process.env.KHOMAT_BENCH_REG_ITEMS ?? 100_000);
const PG_ITEMS = Number(process.env.KHOMAT_BENCH_REG_PG_ITEMS ?? ITEMS);
const PG_URL = process.env.KHOMAT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = 30;
const REGISTRATIONS = 200;

// ---- generated data ------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32) so both databases get the same data. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOC_TYPES = ['Công văn', 'Quyết định', 'Kế hoạch', 'Báo cáo', 'Tờ trình', 'Thông báo', 'Chỉ thị', 'Biên bản'];
const ISSUERS: [string, string][] = [
  ['Bộ Ngoại giao', 'BNG'],
  ['Bộ Công an', 'BCA'],
  ['Bộ Quốc phòng', 'BQP'],
  ['UBND tỉnh', 'UBND'],
  ['Tỉnh ủy', 'TU'],
  ['Công an tỉnh', 'CAT'],
  ['Bộ Chỉ huy Quân sự tỉnh', 'BCH'],
  ['Văn phòng Chính phủ', 'VPCP'],
  ['Ban Đối ngoại Trung ương', 'BĐNTW'],
  ['Sở Kế hoạch và Đầu tư', 'SKHĐT'],
  ['Sở Tài chính', 'STC'],
  ['Đại sứ quán Việt Nam tại Lào', 'ĐSQ'],
  ['Tổng cục An ninh', 'TCAN'],
];
const SUBJECTS = [
  'đón đoàn đại biểu',
  'tổ chức hội nghị',
  'bảo vệ bí mật nhà nước',
  'phân giới cắm mốc',
  'kế hoạch công tác năm',
  'tình hình an ninh biên giới',
  'xử lý vụ việc lãnh sự',
  'cấp thị thực',
  'hợp tác quốc tế',
  'đàm phán hiệp định',
  'diễn tập phòng thủ',
  'chuyến thăm chính thức',
  'rà soát danh mục',
  'quản lý người nước ngoài',
  'công tác bảo hộ công dân',
  'tiếp nhận viện trợ',
  'bảo đảm an toàn thông tin',
  'điều động cán bộ',
];
const PLACES = ['Lào', 'Campuchia', 'Trung Quốc', 'Nhật Bản', 'Hàn Quốc', 'Hoa Kỳ', 'Liên bang Nga', 'Thái Lan', 'Pháp', 'Đức', 'Ấn Độ', 'Úc'];
const UNITS = [
  ['Phòng Lãnh sự', 'LS'],
  ['Phòng Hợp tác quốc tế', 'HTQT'],
  ['Phòng Biên giới', 'BG'],
  ['Văn phòng', 'VP'],
  ['Thanh tra', 'TTr'],
  ['Phòng Kinh tế đối ngoại', 'KTĐN'],
] as const;

function pickLevel(r: number): 'CONFIDENTIAL' | 'SECRET' | 'TOP_SECRET' {
  return r < 0.6 ? 'CONFIDENTIAL' : r < 0.9 ? 'SECRET' : 'TOP_SECRET';
}
function pickRegister(r: number): 'outgoing' | 'incoming' | 'transfer' | 'copy' {
  return r < 0.35 ? 'outgoing' : r < 0.65 ? 'incoming' : r < 0.95 ? 'transfer' : 'copy';
}
const pad = (n: number) => String(n).padStart(2, '0');

interface World {
  deps: AppDeps;
  /** The agency's văn thư cleared for Tuyệt mật: keeps every row (the fast path, no per-row facts). */
  clerk: Actor;
  /** A unit's văn thư cleared for Mật only: keeps its unit's rows up to Mật, per row. */
  unitClerk: Actor;
  /** A unit's head cleared for Tối mật: need-to-know per row (the unit's copies, Nơi nhận). */
  unitHead: Actor;
  inspector: Actor;
  rootUnit: string;
  units: string[];
}

async function setUp(deps: AppDeps): Promise<World> {
  const { unitId } = await completeSetup(deps, {
    agency: { name: 'Sở Ngoại vụ tỉnh Thử nghiệm', code: 'SNV', parentBody: 'UBND tỉnh Thử nghiệm' },
    admin: { username: 'admin', fullName: 'Quản Trị Viên', position: 'Chuyên viên CNTT', password: 'Quantri2026x' },
    head: { username: 'thutruong', fullName: 'Thủ Trưởng', position: 'Giám đốc Sở', password: 'Thutruong2026x' },
  });
  const now = new Date().toISOString();
  const units: string[] = [];
  for (const [name, code] of UNITS) {
    const id = crypto.randomUUID();
    await deps.dbh.db
      .insertInto('units')
      .values({ id, parent_id: unitId, name, code, parent_body: null, closed_at: null, closed_reason: null, created_at: now })
      .execute();
    units.push(id);
  }
  const clerkId = await insertNewUser(deps, deps.dbh.db, {
    username: 'vanthu',
    fullName: 'Nguyễn Thị Văn Thư',
    unitId,
    position: 'Văn thư',
    roles: ['clerk'],
    password: 'Matkhau2026x',
    clearance: 'TOP_SECRET',
    mustChangePassword: false,
  });
  const unitClerkId = await insertNewUser(deps, deps.dbh.db, {
    username: 'vanthuls',
    fullName: 'Lê Thị Văn Thư',
    unitId: units[0]!,
    position: 'Văn thư',
    roles: ['clerk'],
    password: 'Matkhau2026x',
    clearance: 'CONFIDENTIAL',
    mustChangePassword: false,
  });
  const headId = await insertNewUser(deps, deps.dbh.db, {
    username: 'truongphong',
    fullName: 'Phạm Văn Trưởng',
    unitId: units[1]!,
    position: 'Trưởng phòng',
    roles: ['head'],
    password: 'Matkhau2026x',
    clearance: 'SECRET',
    mustChangePassword: false,
  });
  return {
    deps,
    rootUnit: unitId,
    units,
    clerk: { userId: clerkId, roles: ['clerk'], clearance: 'TOP_SECRET', unitId },
    unitClerk: { userId: unitClerkId, roles: ['clerk'], clearance: 'CONFIDENTIAL', unitId: units[0]! },
    unitHead: { userId: headId, roles: ['head'], clearance: 'SECRET', unitId: units[1]! },
    inspector: { userId: clerkId, roles: ['inspector'], clearance: 'NONE', unitId },
  };
}

type Row = Record<string, string | number | null>;

/** Generates the data in chunks of items (with their 3 copies and 4 register entries each). */
function* generate(w: World, items: number, chunk: number): Generator<{ items: Row[]; copies: Row[]; recipients: Row[]; entries: RegisterEntryRow[] }> {
  const rand = rng(20261125);
  const counters = new Map<string, number>();
  const totalEntries = items * 4;
  const dayMs = 86_400_000;
  const start = Date.UTC(2024, 0, 2);
  const span = Date.UTC(2026, 10, 20) - start; // up to a few days before "today" (2026-11-25)
  for (let i0 = 0; i0 < items; i0 += chunk) {
    const out = { items: [] as Row[], copies: [] as Row[], recipients: [] as Row[], entries: [] as RegisterEntryRow[] };
    for (let i = i0; i < Math.min(items, i0 + chunk); i++) {
      const itemId = crypto.randomUUID();
      const level = pickLevel(rand());
      const [issuer, abbr] = ISSUERS[Math.floor(rand() * ISSUERS.length)]!;
      const unitIdx = Math.floor(rand() * UNITS.length);
      const unitId = w.units[unitIdx]!;
      const docType = DOC_TYPES[Math.floor(rand() * DOC_TYPES.length)]!;
      const summary =
        level === 'TOP_SECRET'
          ? null
          : `Về việc ${SUBJECTS[Math.floor(rand() * SUBJECTS.length)]} với ${PLACES[Math.floor(rand() * PLACES.length)]} ${rand() < 0.3 ? `tháng ${1 + Math.floor(rand() * 12)}` : ''}`.trim();
      const entry0 = i * 4;
      const docDay = new Date(start + Math.floor((span * entry0) / totalEntries) - 3 * dayMs);
      const documentDate = `${docDay.getUTCFullYear()}-${pad(docDay.getUTCMonth() + 1)}-${pad(docDay.getUTCDate())}`;
      const numberSymbol = `${1 + Math.floor(rand() * 2000)}/${abbr}-${UNITS[unitIdx]![1]}`;
      const created = docDay.toISOString();
      out.items.push({
        id: itemId,
        origin: rand() < 0.5 ? 'incoming' : 'internal',
        kind: 'document',
        state: rand() < 0.5 ? 'received' : 'issued',
        doc_type: docType,
        summary,
        field: 'Đối ngoại',
        proposed_level: null,
        level,
        catalog_item_id: null,
        shorter_period: null,
        classified_on: documentDate,
        protection_end: null,
        copies_planned: 3,
        copy_allowed: 0,
        addressee_only: 0,
        named_addressee_id: null,
        recall_required: 0,
        number: null,
        symbol: null,
        number_symbol: numberSymbol,
        document_date: documentDate,
        signer_name: 'Trần Văn Ký',
        issuer,
        unit_id: unitId,
        drafter_id: null,
        approver_id: null,
        return_reason: null,
        search_text: foldForSearch([numberSymbol, docType, summary ?? '', issuer].join(' ')),
        created_at: created,
        updated_at: created,
      });
      for (let k = 1; k <= 3; k++) {
        out.copies.push({
          id: crypto.randomUUID(),
          item_id: itemId,
          origin: 'original',
          seq_no: k,
          total: 3,
          label: `Bản số ${k}/3`,
          status: 'held',
          holder_kind: 'unit',
          holder_user_id: null,
          holder_unit_id: unitId,
          holder_outside: null,
          pending_kind: null,
          pending_user_id: null,
          pending_unit_id: null,
          pending_outside: null,
          place: null,
          created_at: created,
          updated_at: created,
        });
      }
      // Nơi nhận: two units (the holder's and another), and one person in twenty items — what a
      // unit head's and a named person's need-to-know are read from.
      const other = w.units[(unitIdx + 1 + Math.floor(rand() * (UNITS.length - 1))) % UNITS.length]!;
      for (const [k, unit] of [unitId, other].entries()) {
        out.recipients.push({
          id: crypto.randomUUID(),
          item_id: itemId,
          position: k + 1,
          kind: 'unit',
          user_id: null,
          unit_id: unit,
          outside_name: null,
          copies: 1,
          addressee_only: 0,
        });
      }
      if (rand() < 0.05) {
        out.recipients.push({
          id: crypto.randomUUID(),
          item_id: itemId,
          position: 3,
          kind: 'user',
          user_id: w.unitHead.userId,
          unit_id: null,
          outside_name: null,
          copies: 1,
          addressee_only: 0,
        });
      }
      for (let k = 0; k < 4; k++) {
        const t = new Date(start + Math.floor((span * (entry0 + k)) / totalEntries));
        const entryDate = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
        const year = t.getUTCFullYear();
        const register = k === 0 ? pickRegister(rand()) : k === 3 ? 'transfer' : pickRegister(rand());
        const ck = `register:${register}:${year}`;
        const number = (counters.get(ck) ?? 0) + 1;
        counters.set(ck, number);
        const recipient =
          k === 3
            ? `Ông/bà ${['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng'][Math.floor(rand() * 5)]} ${['Văn An', 'Thị Bình', 'Minh Châu', 'Quốc Dũng', 'Thu Hà'][Math.floor(rand() * 5)]}`
            : UNITS[Math.floor(rand() * UNITS.length)]![0];
        out.entries.push({
          id: crypto.randomUUID(),
          register,
          year,
          number,
          volume: 1,
          entry_date: entryDate,
          item_id: itemId,
          custody_event_id: null,
          unit_id: unitId,
          number_symbol: numberSymbol,
          document_date: documentDate,
          doc_type: docType,
          summary,
          level,
          signer: 'Trần Văn Ký',
          issuer,
          recipient,
          quantity: 1,
          copy_labels: 'Bản số 1/3',
          received_by: null,
          received_at: null,
          received_on: null,
          note: null,
          form_code: register,
          copy_form: null,
          authorised_by: null,
          performed_by: null,
          created_by: w.clerk.userId,
          created_at: t.toISOString(),
          cancelled_at: null,
          cancelled_by: null,
          cancel_reason: null,
        });
      }
    }
    if (i0 + chunk >= items) (out as { counters?: Map<string, number> }).counters = counters;
    yield out;
  }
}

/** Bulk insert on SQLite: one prepared statement, run inside the caller's transaction. */
async function bulkInsert(w: World, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  if (w.deps.dbh.dialect === 'sqlite') {
    const stmt = w.deps.dbh.sqlite!.prepare(`insert into ${table} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`);
    for (const r of rows) stmt.run(...cols.map((c) => r[c] ?? null));
    return;
  }
  throw new Error('bulkInsert is for SQLite; PostgreSQL uses pgInsert');
}

/** Bulk insert on PostgreSQL: one INSERT … SELECT FROM unnest(column arrays) per table and chunk. */
async function pgInsert(client: pg.PoolClient, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const types = cols.map((c) => (rows.some((r) => typeof r[c] === 'number') ? 'bigint' : 'text'));
  const arrays = cols.map((c) => rows.map((r) => r[c] ?? null));
  await client.query(`insert into ${table} (${cols.join(',')}) select * from unnest(${cols.map((_, i) => `$${i + 1}::${types[i]}[]`).join(',')})`, arrays);
}

async function fill(w: World, items: number, pgSchema?: string): Promise<number> {
  const t0 = performance.now();
  const db = w.deps.dbh.db;
  let counters = new Map<string, number>();
  if (w.deps.dbh.dialect === 'sqlite') {
    const raw = w.deps.dbh.sqlite!;
    for (const part of generate(w, items, 5000)) {
      raw.exec('begin');
      await bulkInsert(w, 'secret_items', part.items);
      await bulkInsert(w, 'copies', part.copies);
      await bulkInsert(w, 'item_recipients', part.recipients);
      await bulkInsert(w, 'register_entries', part.entries as unknown as Row[]);
      raw.exec('commit');
      // The index rows, through the same code writeRegisterEntry uses, in big transactions.
      await db.transaction().execute((tx) => insertSearchDocs(tx, part.entries.map(searchDocOf)));
      counters = (part as { counters?: Map<string, number> }).counters ?? counters;
    }
  } else {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${pgSchema}` });
    const client = await pool.connect();
    try {
      for (const part of generate(w, items, 5000)) {
        await client.query('begin');
        await pgInsert(client, 'secret_items', part.items);
        await pgInsert(client, 'copies', part.copies);
        await pgInsert(client, 'item_recipients', part.recipients);
        await pgInsert(client, 'register_entries', part.entries as unknown as Row[]);
        await client.query('commit');
        await db.transaction().execute((tx) => insertSearchDocs(tx, part.entries.map(searchDocOf)));
        counters = (part as { counters?: Map<string, number> }).counters ?? counters;
      }
      // As autovacuum would have done by now on a live system (visibility map, statistics).
      await client.query('vacuum analyze');
    } finally {
      client.release();
      await pool.end();
    }
  }
  for (const [k, n] of counters) {
    const [, register, year] = k.split(':');
    await db
      .insertInto('counters')
      .values({ name: `register:${register}`, year: Number(year), last_number: n })
      .execute();
  }
  if (w.deps.dbh.dialect === 'sqlite') w.deps.dbh.sqlite!.exec('analyze');
  return (performance.now() - t0) / 1000;
}

// ---- measuring -----------------------------------------------------------------------------

interface Timing {
  p50: number;
  p95: number;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

async function time(fn: () => Promise<unknown>, runs = RUNS): Promise<Timing> {
  for (let i = 0; i < 3; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return { p50: pct(xs, 0.5), p95: pct(xs, 0.95) };
}

type Case = { name: string; target: number; run: (w: World) => () => Promise<unknown>; runs?: number };

const search = (w: World, actor: Actor, f: Partial<SearchFilter>) => () => searchRegisters(w.deps, actor, { page: 1, pageSize: 50, ...f });

const CASES: Case[] = [
  {
    name: 'page: incoming 2025 SECRET, page 1 (50 rows)',
    target: 50,
    run: (w) => () => listEntries(w.deps, w.clerk, { register: 'incoming', year: 2025, level: 'SECRET', page: 1, pageSize: 50 }),
  },
  {
    name: 'page: incoming 2025 SECRET, page 200 (deep)',
    target: 50,
    run: (w) => () => listEntries(w.deps, w.clerk, { register: 'incoming', year: 2025, level: 'SECRET', page: 200, pageSize: 50 }),
  },
  {
    name: 'page: transfer 2026, unit filter, page 1',
    target: 50,
    run: (w) => () => listEntries(w.deps, w.clerk, { register: 'transfer', year: 2026, unitId: w.units[2], page: 1, pageSize: 50 }),
  },
  { name: "search: 'cong van' (very common)", target: 50, run: (w) => search(w, w.clerk, { q: 'công văn' }) },
  { name: "search: 'đón đoàn đại biểu' (clerk)", target: 50, run: (w) => search(w, w.clerk, { q: 'đón đoàn đại biểu' }) },
  { name: "search: 'đón đoàn' (inspector, no summary)", target: 50, run: (w) => search(w, w.inspector, { q: 'đón đoàn' }) },
  { name: "search: '125/BNG' (symbol prefix)", target: 50, run: (w) => search(w, w.clerk, { q: '125/BNG' }) },
  {
    name: "search: 'ngoai giao lao' + register+year+level",
    target: 50,
    run: (w) => search(w, w.clerk, { q: 'ngoại giao lào', register: 'incoming', year: 2025, level: 'SECRET' }),
  },
  { name: "search: 'bien gioi' + date range (1 month)", target: 50, run: (w) => search(w, w.clerk, { q: 'biên giới', from: '2025-06-01', to: '2025-06-30' }) },
  { name: "search: 'bao ve' + item state", target: 50, run: (w) => search(w, w.clerk, { q: 'bảo vệ', state: 'received' }) },
  { name: 'search: no text, register+year, page 100', target: 50, run: (w) => search(w, w.clerk, { register: 'outgoing', year: 2025, page: 100 }) },
  { name: "search: 'd' (one letter)", target: 50, run: (w) => search(w, w.clerk, { q: 'd' }) },
  ...perRowCases('unit clerk, Mật', (w) => w.unitClerk),
  ...perRowCases('unit head, Tối mật', (w) => w.unitHead),
];

/**
 * Issue 11: the agency's văn thư cleared for Tuyệt mật keeps every row (no per-row facts). A
 * unit's văn thư cleared for Mật and a unit's head take the per-row paths: rowAccessFor on each
 * page, and in a text search the SQL form of the decision (levels, keeper unit, need-to-know).
 */
function perRowCases(label: string, who: (w: World) => Actor): Case[] {
  const page = (f: { register: 'incoming' | 'outgoing' | 'transfer'; year: number; level?: string; unitId?: string; page: number }) => (w: World) => () =>
    listEntries(w.deps, who(w), { pageSize: 50, ...f });
  return [
    { name: `[${label}] page: incoming 2025, page 1`, target: 50, run: page({ register: 'incoming', year: 2025, page: 1 }) },
    { name: `[${label}] page: incoming 2025 SECRET, page 200 (deep)`, target: 50, run: page({ register: 'incoming', year: 2025, level: 'SECRET', page: 200 }) },
    {
      name: `[${label}] page: transfer 2026, own unit, page 1`,
      target: 50,
      run: (w) => page({ register: 'transfer', year: 2026, unitId: who(w).unitId!, page: 1 })(w),
    },
    { name: `[${label}] search: 'cong van' (very common)`, target: 50, run: (w) => search(w, who(w), { q: 'công văn' }) },
    { name: `[${label}] search: 'đón đoàn đại biểu' (summary words)`, target: 50, run: (w) => search(w, who(w), { q: 'đón đoàn đại biểu' }) },
    {
      name: `[${label}] search: 'ngoai giao lao' + register+year+level`,
      target: 50,
      run: (w) => search(w, who(w), { q: 'ngoại giao lào', register: 'incoming', year: 2025, level: 'SECRET' }),
    },
    {
      name: `[${label}] search: 'bien gioi' + date range (1 month)`,
      target: 50,
      run: (w) => search(w, who(w), { q: 'biên giới', from: '2025-06-01', to: '2025-06-30' }),
    },
    { name: `[${label}] search: 'd' (one letter)`, target: 50, run: (w) => search(w, who(w), { q: 'd' }) },
    { name: `[${label}] search: no text, register+year, page 100`, target: 50, run: (w) => search(w, who(w), { register: 'outgoing', year: 2025, page: 100 }) },
    { name: `[${label}] search: no text, level, page 1`, target: 50, run: (w) => search(w, who(w), { level: 'SECRET' }) },
  ];
}

/** KHOMAT_BENCH_REG_CASES: a regular expression choosing the cases to time (all by default). */
const ONLY = process.env.KHOMAT_BENCH_REG_CASES ? new RegExp(process.env.KHOMAT_BENCH_REG_CASES) : undefined;

async function measureAll(w: World): Promise<Map<string, Timing>> {
  const out = new Map<string, Timing>();
  for (const c of CASES.filter((x) => !ONLY || ONLY.test(x.name))) {
    const t = await time(c.run(w), c.runs);
    out.set(c.name, t);
    // Progress (and the figure at once): a run at full size takes minutes per database.
    process.stderr.write(`registry: ${w.deps.dbh.dialect} ${c.name}: p50 ${t.p50.toFixed(1)} / p95 ${t.p95.toFixed(1)} ms\n`);
  }
  if (ONLY) return out;
  let n = 0;
  out.set(
    'registerIncoming (one item, 1 copy, real use case)',
    await time(
      () =>
        registerIncoming(w.deps, w.clerk, {
          issuer: 'Bộ Ngoại giao',
          numberSymbol: `${++n}/BNG-LS`,
          documentDate: '2026-11-20',
          docType: 'Công văn',
          kind: 'document',
          summary: 'Về việc đón đoàn đại biểu',
          level: 'SECRET',
          copies: 1,
          addresseeOnly: false,
          envelopeState: 'intact',
          to: { kind: 'unit', id: w.units[0]! },
        }),
      REGISTRATIONS,
    ),
  );
  return out;
}

/**
 * KHOMAT_BENCH_REG_REUSE=<dir>: keep the generated data (SQLite file and keys in <dir>/<dialect>,
 * the PostgreSQL schema named in <dir>/postgres/world.json) and reuse it on the next run, so a
 * query change can be measured again in seconds instead of regenerating 100k items.
 */
const REUSE = process.env.KHOMAT_BENCH_REG_REUSE;

type SavedWorld = Omit<World, 'deps'> & { schema?: string; items: number };

async function runOn(
  dialect: 'sqlite' | 'postgres',
  items: number,
): Promise<{ timings: Map<string, Timing>; fillSeconds: number; extra: Record<string, string | number> }> {
  const dir = REUSE ? path.join(REUSE, dialect) : fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-bench-registry-'));
  const savedFile = path.join(dir, 'world.json');
  const saved: SavedWorld | undefined = REUSE && fs.existsSync(savedFile) ? JSON.parse(fs.readFileSync(savedFile, 'utf8')) : undefined;
  if (saved && saved.items !== items) throw new Error(`${savedFile} holds ${saved.items} items, not ${items}: remove ${dir} or set the size`);
  fs.mkdirSync(dir, { recursive: true });
  let schema: string | undefined = saved?.schema;
  if (dialect === 'postgres' && !schema) {
    schema = `bench_${crypto.randomBytes(5).toString('hex')}`;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
  }
  const config = loadConfig(
    {},
    { env: 'test', dataDir: path.join(dir, 'data'), keyDir: path.join(dir, 'keys'), auditCheckpointEvery: 1000, ...(schema ? { databaseUrl: PG_URL } : {}) },
  );
  const keys = FileKeyProvider.open({ keyDir: config.keyDir, create: true });
  const deps = await openRuntime(config, { keys, argon2: TEST_ARGON2, ...(schema ? { pgSchema: schema } : {}) });
  const keep = !!REUSE || (schema !== undefined && process.env.KHOMAT_BENCH_KEEP_PG === '1');
  try {
    let w: World;
    let fillSeconds = 0;
    if (saved) {
      w = { ...saved, deps };
      process.stderr.write(`registry: reusing ${items} items on ${dialect} from ${dir}\n`);
    } else {
      w = await setUp(deps);
      process.stderr.write(`registry: generating ${items} items on ${dialect}…\n`);
      fillSeconds = await fill(w, items, schema);
      process.stderr.write(`registry: generated in ${fillSeconds.toFixed(0)} s, measuring…\n`);
      if (REUSE) {
        const { deps: _deps, ...rest } = w;
        fs.writeFileSync(savedFile, JSON.stringify({ ...rest, schema, items } satisfies SavedWorld));
      }
    }
    const extra: Record<string, string | number> = {};
    if (dialect === 'sqlite') extra['sqlite file (MiB)'] = Math.round(fs.statSync(deps.dbh.sqliteFile!).size / 1048576);
    return { timings: await measureAll(w), fillSeconds, extra };
  } finally {
    await deps.dbh.close();
    if (!REUSE) fs.rmSync(dir, { recursive: true, force: true });
    if (schema && keep) process.stderr.write(`registry: PostgreSQL data kept in schema ${schema}\n`);
    else if (schema) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
  }
}

async function pgAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function pdfChild(): Promise<PdfResult> {
  const child = fork(fileURLToPath(new URL('./registry-pdf.child.ts', import.meta.url)), [], { execArgv: process.execArgv, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    let result: PdfResult | undefined;
    child.on('message', (m) => (result = m as PdfResult));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`PDF child exited with ${code} before reporting`))));
  });
}

const fmt = (t: Timing | undefined, target: number) => (t ? `${t.p50.toFixed(2)} / ${t.p95.toFixed(2)} ${t.p95 < target ? 'met' : 'MISSED'}` : 'n/a');

export async function benchRegistry(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const lite = ITEMS > 0 ? await runOn('sqlite', ITEMS) : { timings: new Map<string, Timing>(), fillSeconds: 0, extra: {} };
  const withPg = PG_ITEMS > 0 && (await pgAvailable());
  const pgr = withPg ? await runOn('postgres', PG_ITEMS) : undefined;
  figures['data: items / copies / register entries'] =
    `sqlite ${ITEMS * 1}/${ITEMS * 3}/${ITEMS * 4}` + (pgr ? ` | pg ${PG_ITEMS}/${PG_ITEMS * 3}/${PG_ITEMS * 4}` : ' | pg not reachable');
  figures['generation incl. search index (s)'] = `sqlite ${lite.fillSeconds.toFixed(1)}` + (pgr ? ` | pg ${pgr.fillSeconds.toFixed(1)}` : '');
  for (const [k, v] of Object.entries(lite.extra)) figures[k] = v;
  figures['p50 / p95 ms (target p95), sqlite | pg'] = '';
  const all = [...CASES.map((c) => [c.name, c.target] as const), ['registerIncoming (one item, 1 copy, real use case)', 20] as const];
  for (const [name, target] of all) {
    figures[`${name} [<${target}]`] = `${fmt(lite.timings.get(name), target)} | ${pgr ? fmt(pgr.timings.get(name), target) : 'n/a'}`;
  }
  figures['note'] = 'fsync is unrealistically cheap on this VM: registration figures are optimistic';
  if (ONLY) return figures; // a chosen subset of cases: the print run is not one of them
  try {
    const r = await pdfChild();
    figures['print 10,000 rows to PDF (s) [<10]'] = `${(r.ms / 1000).toFixed(2)} ${r.ms < 10_000 ? 'met' : 'MISSED'}`;
    figures['print: PDF size (MiB)'] = Number((r.bytes / 1048576).toFixed(1));
    figures['print: peak RSS MiB (baseline) [<300]'] = `${r.peakMiB.toFixed(0)} (${r.baselineMiB.toFixed(0)}) ${r.peakMiB < 300 ? 'met' : 'MISSED'}`;
  } catch (e) {
    figures['print 10,000 rows to PDF'] = `pending (${(e as Error).message.slice(0, 60)})`;
  }
  return figures;
}
