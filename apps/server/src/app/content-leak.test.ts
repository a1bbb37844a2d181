import crypto from 'node:crypto';
import { CLEARANCES, LEVEL_TABLE, clearanceRank, type Clearance, type Level, type Role } from '@khomat/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUnit } from '../modules/org/org.repository';
import { pdfText, xlsxText } from '../modules/registers/print/document-text';
import { ADMIN_PASSWORD, Client, createTestApp, dialects, seedAgency, seedUser, USER_PASSWORD, type TestApp } from '../test/harness';

// The authorization test of issue 11, generated from one table: an agency with two units, items
// of each level held by a unit or by a named person of each unit, each with a unique marker word
// in its summary; then every route that can return a summary or file bytes × role × clearance ×
// place (own unit / other unit / named / not named). Each viewer's allowed markers follow from
// one formula written here, independently of the server: the content of an item it may read
// (clearance ≥ level, and holds it, or heads the unit holding it), or a register row it keeps (a
// văn thư of the row's unit or of the agency, cleared for the level). No other marker may appear
// in any reply body, PDF text, XLSX or CSV; the content route's status follows the same formula.

const DIALECTS = await dialects();
const ROLES: Role[] = ['clerk', 'officer', 'head', 'security_officer', 'inspector', 'admin'];
const LEVELS_WITH_SUMMARY: Level[] = ['CONFIDENTIAL', 'SECRET'];
const cleared = (c: Clearance, l: Level) => clearanceRank(c) >= LEVEL_TABLE[l].rank;

interface Item {
  id: string;
  unit: 'A' | 'B';
  level: Level;
  holder: 'unit' | 'named';
  marker: string;
}
interface Viewer {
  username: string;
  userId: string;
  role: Role;
  clearance: Clearance;
  place: 'root' | 'A' | 'B';
  /** The named person of an item (holds its copy). */
  named?: 'A' | 'B';
}

function mayRead(v: Viewer, i: Item): boolean {
  if (!['clerk', 'officer', 'head', 'security_officer'].includes(v.role) || !cleared(v.clearance, i.level)) return false;
  return i.holder === 'named' ? v.named === i.unit : v.role === 'head' && v.place === i.unit;
}
function keeps(v: Viewer, i: Item): boolean {
  return v.role === 'clerk' && cleared(v.clearance, i.level) && (v.place === 'root' || v.place === i.unit);
}

describe.each(DIALECTS)('no summary or file byte reaches a viewer who may not read it, on %s', (dialect) => {
  let t: TestApp;
  const items: Item[] = [];
  const viewers: Viewer[] = [];
  const units: Record<'root' | 'A' | 'B', string> = { root: '', A: '', B: '' };
  const clients: Record<string, Client> = {};
  let client: (username: string, password?: string) => Promise<Client>;

  beforeAll(async () => {
    // Some eighty people sign in within a minute here: the login rate limit is not what is tested.
    t = await createTestApp(dialect, { config: { loginRatePerMinute: 10_000 } });
    const { unitId: root } = await seedAgency(t.deps);
    units.root = root;
    const now = t.clock.now().toISOString();
    for (const [k, code] of [['A', 'HTQT'], ['B', 'LS']] as const) {
      units[k] = t.deps.ids();
      await insertUnit(t.deps.dbh.db, { id: units[k], parent_id: root, name: `Phòng ${code}`, code, parent_body: null, closed_at: null, closed_reason: null, created_at: now });
    }
    // The generated table: every role × clearance × place, plus the named person of each unit.
    for (const role of ROLES)
      for (const clearance of CLEARANCES)
        for (const place of ['root', 'A', 'B'] as const) {
          if (place === 'root' && !['clerk', 'security_officer', 'inspector', 'admin', 'head'].includes(role)) continue;
          const username = `${role.replace('_', '')}${clearance.toLowerCase().replace('_', '')}${place.toLowerCase()}`;
          const userId = await seedUser(t.deps, { username, unitId: units[place], roles: [role], clearance });
          viewers.push({ username, userId, role, clearance, place });
        }
    for (const u of ['A', 'B'] as const) {
      const username = `named${u.toLowerCase()}`;
      viewers.push({ username, userId: await seedUser(t.deps, { username, unitId: units[u], roles: ['officer'], clearance: 'TOP_SECRET' }), role: 'officer', clearance: 'TOP_SECRET', place: u, named: u });
    }
    client = async (username: string, password = USER_PASSWORD) => {
      if (clients[username]) return clients[username]!;
      const c = new Client(t.app, t.clock);
      await c.signIn(username, password);
      return (clients[username] = c);
    };
    // Each unit's văn thư cleared for Tuyệt mật receives its unit's items.
    for (const u of ['A', 'B'] as const) {
      const clerk = await client(`clerktopsecret${u.toLowerCase()}`);
      for (const level of LEVELS_WITH_SUMMARY)
        for (const holder of ['unit', 'named'] as const) {
          const marker = `mk${crypto.randomBytes(5).toString('hex')}`;
          const named = viewers.find((v) => v.named === u)!;
          const r = await clerk.post('/api/items/incoming', {
            issuer: 'Bộ Ngoại giao', numberSymbol: `${items.length + 1}/BNG`, documentDate: '2026-02-27', docType: 'Công văn', kind: 'document',
            summary: `Về việc ${marker} đón đoàn`, level, copies: 1, addresseeOnly: false, envelopeState: 'intact',
            to: holder === 'unit' ? { kind: 'unit', id: units[u] } : { kind: 'user', id: named.userId },
          });
          expect(r.statusCode, r.body).toBe(200);
          const id = r.json().item.id as string;
          items.push({ id, unit: u, level, holder, marker });
          // The receiver signs: the unit's head for the unit, the named person for themself.
          const ev = await t.deps.dbh.db.selectFrom('custody_events').select('id').where('item_id', '=', id).executeTakeFirstOrThrow();
          const signer = await client(holder === 'unit' ? `headtopsecret${u.toLowerCase()}` : named.username);
          expect((await signer.post(`/api/custody/${ev.id}/confirm`)).statusCode).toBe(200);
        }
    }
    await client('admin', ADMIN_PASSWORD);
  }, 120_000);
  afterAll(() => t?.cleanup());


  /** Every route that can carry a summary or file bytes, as text. */
  async function replies(c: Client): Promise<{ url: string; status: number; text: string }[]> {
    const out: { url: string; status: number; text: string }[] = [];
    const get = async (url: string, as: 'text' | 'pdf' | 'xlsx' = 'text') => {
      const r = await c.get(url);
      const text = r.statusCode !== 200 ? r.body : as === 'pdf' ? pdfText(r.rawPayload) : as === 'xlsx' ? await xlsxText(r.rawPayload) : r.body;
      out.push({ url, status: r.statusCode, text });
    };
    for (const reg of ['outgoing', 'incoming', 'transfer', 'copy']) await get(`/api/registers/${reg}?year=2026&pageSize=200`);
    await get('/api/search?pageSize=100');
    for (const i of items) await get(`/api/search?q=${i.marker}`);
    await get('/api/search?q=don%20doan&pageSize=100');
    await get('/api/registers/incoming/print.pdf?year=2026', 'pdf');
    await get('/api/registers/incoming/export.xlsx?year=2026', 'xlsx');
    await get('/api/registers/incoming/export.csv?year=2026');
    await get('/api/registers/transfer/export.csv?year=2026');
    for (const i of items) {
      await get(`/api/items/${i.id}`);
      await get(`/api/items/${i.id}/envelopes.pdf`, 'pdf');
    }
    await get('/api/notifications');
    await get('/api/audit?pageSize=200');
    await get('/api/items?pageSize=100');
    await get('/api/my/copies');
    for (const u of Object.values(units)) await get(`/api/units/${u}/holdings`);
    return out;
  }

  it('walks every route × role × clearance × place: statuses follow the formula, no marker of an unreadable row appears', async () => {
    expect(viewers.length).toBeGreaterThan(60);
    const failures: string[] = [];
    for (const v of [...viewers, { username: 'admin', userId: '', role: 'admin' as Role, clearance: 'NONE' as Clearance, place: 'root' as const }]) {
      const c = await client(v.username);
      const allowed = new Set(items.filter((i) => mayRead(v, i) || keeps(v, i)).map((i) => i.marker));
      for (const i of items) {
        const r = await c.get(`/api/items/${i.id}/content`);
        const ok = mayRead(v, i);
        if ((r.statusCode === 200) !== ok) failures.push(`${v.username} content of ${i.unit}/${i.level}/${i.holder}: ${r.statusCode}, expected ${ok ? 200 : 403}`);
        if (!ok && r.body.includes(i.marker)) failures.push(`${v.username} content body leaks ${i.marker}`);
      }
      for (const reply of await replies(c)) {
        for (const i of items) if (!allowed.has(i.marker) && reply.text.includes(i.marker)) failures.push(`${v.username} ${reply.url} (${reply.status}) leaks ${i.unit}/${i.level}/${i.holder}`);
        if (reply.status >= 500) failures.push(`${v.username} ${reply.url} answered ${reply.status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
