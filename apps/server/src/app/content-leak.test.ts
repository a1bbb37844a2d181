import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { CLEARANCES, LEVEL_TABLE, clearanceRank, type Clearance, type Level, type Role } from '@khomat/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUnit } from '../modules/org/org.repository';
import { xlsxText } from '../modules/registers/print/document-text';
import { ADMIN_PASSWORD, Client, createTestApp, dialects, seedAgency, seedUser, USER_PASSWORD, type TestApp } from '../test/harness';

// The authorization test of issue 11, generated from one table: an agency with two units, and in
// each unit items that differ only in what the content decision looks at — level (Mật, Tối mật,
// Tuyệt mật), who holds them (the unit, a named person, both after a hand-over), need-to-know by
// assignment, "Chỉ người có tên mới được bóc bì", an outgoing document sent to the other unit —
// each with unique random marker words in its summary, in the bytes and the name of its content
// file, and in the scan of a signed receipt. Then every route that can return a summary or file
// bytes × role × clearance × place (own unit / other unit / named / not named). What each viewer
// may read follows from the formulas below, written here independently of the server: an item's
// content (clearance ≥ level, and holds it, heads a unit holding it or named in its Nơi nhận, is
// assigned to it; addressee-only: the named person alone), a register row's summary (also its
// keeper: a văn thư of the row's unit or of the agency, cleared for the level). No other marker
// may appear in any reply body, PDF text (pdftotext), XLSX or CSV; the content, file, envelope and
// search statuses follow the same formulas, and whoever may read a file receives its exact bytes.

const DIALECTS = await dialects();
const ROLES: Role[] = ['clerk', 'officer', 'head', 'security_officer', 'inspector', 'admin'];
const CONTENT_ROLES: Role[] = ['clerk', 'officer', 'head', 'security_officer'];
const cleared = (c: Clearance, l: Level) => clearanceRank(c) >= LEVEL_TABLE[l].rank;
const marker = (p: string) => `${p}${crypto.randomBytes(5).toString('hex')}`;
const other = (u: Unit): Unit => (u === 'A' ? 'B' : 'A');
const run = promisify(execFile);

/** Text of a PDF through poppler's pdftotext (without blocking the event loop, so viewers overlap). */
async function pdfText(bytes: Buffer): Promise<string> {
  const p = run('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  p.child.stdin!.end(bytes);
  return (await p).stdout.toString('utf8').replace(/\s+/g, ' ');
}

type Unit = 'A' | 'B';
type Place = 'root' | Unit;

interface Item {
  id: string;
  label: string;
  unit: Unit;
  level: Level;
  /** In the summary (none for Tuyệt mật, NĐ 63/2026, and for addressee-only envelopes). */
  summaryMarker?: string;
  /** The content file: its bytes carry one marker, its name another (names can reveal content). */
  file?: { id: string; bytes: Buffer; marker: string; nameMarker: string };
  holderUnits: Unit[];
  holderPeople: string[];
  recipientUnits: Unit[];
  assigned: string[];
  /** "Chỉ người có tên mới được bóc bì": this person alone. */
  addresseeOnly?: string;
  issued: boolean;
}

interface Scan {
  level: Level;
  eventId: string;
  bytes: Buffer;
  marker: string;
  signer: string;
}

interface Viewer {
  username: string;
  userId: string;
  role: Role;
  clearance: Clearance;
  place: Place;
}

// ---- the formulas (independent of the server) -----------------------------------------------

function mayRead(v: Viewer, i: Item): boolean {
  if (!CONTENT_ROLES.includes(v.role) || !cleared(v.clearance, i.level)) return false;
  if (i.addresseeOnly) return v.username === i.addresseeOnly;
  const headOf = (units: Unit[]) => v.role === 'head' && v.place !== 'root' && units.includes(v.place);
  return i.holderPeople.includes(v.username) || i.assigned.includes(v.username) || headOf(i.holderUnits) || headOf(i.recipientUnits);
}
/** The keeper of the item's register rows (their unit is the item's). */
function keeps(v: Viewer, i: Item): boolean {
  return v.role === 'clerk' && cleared(v.clearance, i.level) && (v.place === 'root' || v.place === i.unit);
}
/** Envelopes of an issued item: a văn thư of its unit or of the agency, cleared for its level. */
function printsEnvelopes(v: Viewer, i: Item): boolean {
  return i.issued && keeps(v, i);
}
/**
 * A scan of a signed page may show what was written on it (attachments.rules receiptScanReader):
 * clearance for the item's level, never a metadata-only role; then the register's readers and the
 * person who signed. Its marker must reach nobody else, by any route.
 */
function readsScan(v: Viewer, s: Scan): boolean {
  if (v.role === 'inspector' || v.role === 'admin' || !cleared(v.clearance, s.level)) return false;
  return ['clerk', 'head', 'security_officer'].includes(v.role) || v.username === s.signer;
}
const readsRegisters = (v: Viewer) => ['clerk', 'head', 'security_officer', 'inspector'].includes(v.role);
const exportsRegisters = (v: Viewer) => ['clerk', 'security_officer', 'inspector'].includes(v.role);

const CATALOG = JSON.stringify([
  {
    decisionNumber: '19/QĐ-TTg',
    decisionDate: '2026-01-06',
    field: 'Ngoại giao',
    article: '1',
    clause: '2',
    description: 'Kế hoạch làm việc với đoàn cấp cao chưa công bố',
    level: 'SECRET',
  },
]);

describe.each(DIALECTS)('no summary or file byte reaches a viewer who may not read it, on %s', (dialect) => {
  let t: TestApp;
  const items: Item[] = [];
  const scans: Scan[] = [];
  const viewers: Viewer[] = [];
  const units: Record<Place, string> = { root: '', A: '', B: '' };
  const clients: Record<string, Client> = {};
  const client = async (username: string, password = USER_PASSWORD) => {
    if (clients[username]) return clients[username]!;
    const c = new Client(t.app, t.clock);
    await c.signIn(username, password);
    return (clients[username] = c);
  };
  const ok = async (p: Promise<{ statusCode: number; body: string; json: () => unknown }>) => {
    const r = await p;
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json() as Record<string, unknown> & { id: string };
  };
  const upload = (c: Client, url: string, bytes: Buffer, name: string) =>
    t.app.inject({
      method: 'POST',
      url: `${url}?name=${encodeURIComponent(name)}`,
      headers: { cookie: `khomat_sid=${c.cookie}`, 'x-csrf-token': c.csrf!, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  /** A PDF-looking file with its marker in the middle. */
  const fileWith = (m: string) => Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(300), Buffer.from(` ${m} `), crypto.randomBytes(300)]);
  const eventOf = async (itemId: string, kind: string) =>
    (
      await t.deps.dbh.db
        .selectFrom('custody_events')
        .select('id')
        .where('item_id', '=', itemId)
        .where('kind', '=', kind)
        .orderBy('occurred_at', 'desc')
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    // Some ninety people sign in within a minute here: the login rate limit is not what is tested.
    t = await createTestApp(dialect, { config: { loginRatePerMinute: 10_000 } });
    const { unitId: root } = await seedAgency(t.deps);
    units.root = root;
    const now = t.clock.now().toISOString();
    for (const [k, code] of [
      ['A', 'HTQT'],
      ['B', 'LS'],
    ] as const) {
      units[k] = t.deps.ids();
      await insertUnit(t.deps.dbh.db, {
        id: units[k],
        parent_id: root,
        name: `Phòng ${code}`,
        code,
        parent_body: null,
        closed_at: null,
        closed_reason: null,
        created_at: now,
      });
    }
    // The generated table: every role × clearance × place, plus in each unit a named person and
    // the drafter of its outgoing document (both officers cleared for Tuyệt mật).
    for (const role of ROLES)
      for (const clearance of CLEARANCES)
        for (const place of ['root', 'A', 'B'] as const) {
          if (place === 'root' && !['clerk', 'security_officer', 'inspector', 'admin', 'head'].includes(role)) continue;
          const username = `${role.replace('_', '')}${clearance.toLowerCase().replace('_', '')}${place.toLowerCase()}`;
          const userId = await seedUser(t.deps, { username, unitId: units[place], roles: [role], clearance });
          viewers.push({ username, userId, role, clearance, place });
        }
    for (const u of ['A', 'B'] as const)
      for (const who of ['named', 'drafter']) {
        const username = `${who}${u.toLowerCase()}`;
        viewers.push({
          username,
          userId: await seedUser(t.deps, { username, unitId: units[u], roles: ['officer'], clearance: 'TOP_SECRET' }),
          role: 'officer',
          clearance: 'TOP_SECRET',
          place: u,
        });
      }
    const id = (username: string) => viewers.find((v) => v.username === username)!.userId;
    expect((await (await client('securityofficertopsecretroot')).post('/api/catalog/import', { format: 'json', content: CATALOG })).statusCode).toBe(200);
    const catalogId = ((await (await client('securityofficertopsecretroot')).get('/api/catalog')).json().items as { id: string }[])[0]!.id;

    for (const u of ['A', 'B'] as const) {
      const lc = u.toLowerCase();
      const clerk = await client(`clerktopsecret${lc}`);
      const head = await client(`headtopsecret${lc}`);
      const named = `named${lc}`;
      // Incoming, each level × held by the unit or by a named person; an electronic document whose
      // file the unit's văn thư attaches before passing it on.
      const incoming = async (level: Level, to: 'unit' | 'named', opts: { copies?: number; addresseeOnly?: boolean } = {}) => {
        const summaryMarker = level === 'TOP_SECRET' || opts.addresseeOnly ? undefined : marker('tom');
        const r = await ok(
          clerk.post('/api/items/incoming', {
            issuer: 'Bộ Ngoại giao',
            numberSymbol: `${items.length + 1}/BNG`,
            documentDate: '2026-02-27',
            docType: 'Công văn',
            kind: 'electronic_document',
            ...(summaryMarker ? { summary: `Về việc ${summaryMarker} đón đoàn` } : {}),
            level,
            copies: opts.copies ?? 1,
            addresseeOnly: opts.addresseeOnly ?? false,
            envelopeState: 'intact',
            to: to === 'unit' ? { kind: 'unit', id: units[u] } : { kind: 'user', id: id(named) },
          }),
        );
        const item: Item = {
          id: (r.item as { id: string }).id,
          label: `${u}/incoming/${level}/${to}${opts.addresseeOnly ? '/addressee-only' : ''}`,
          unit: u,
          level,
          ...(summaryMarker ? { summaryMarker } : {}),
          holderUnits: to === 'unit' ? [u] : [],
          holderPeople: to === 'named' ? [named] : [],
          recipientUnits: [],
          assigned: [],
          issued: false,
          ...(opts.addresseeOnly ? { addresseeOnly: named } : {}),
        };
        if (!opts.addresseeOnly) {
          const fm = marker('tep');
          const nameMarker = marker('ten');
          const bytes = fileWith(fm);
          const f = await ok(upload(clerk, `/api/items/${item.id}/attachments`, bytes, `${nameMarker}.pdf`));
          item.file = { id: f.id, bytes, marker: fm, nameMarker };
        }
        // The receiver signs: the unit's head for the unit, the named person for themself.
        await ok((to === 'unit' ? head : await client(named)).post(`/api/custody/${await eventOf(item.id, 'receive_pass')}/confirm`));
        items.push(item);
        return item;
      };
      for (const level of ['CONFIDENTIAL', 'SECRET', 'TOP_SECRET'] as const) {
        const held = await incoming(level, 'unit', { copies: level === 'CONFIDENTIAL' ? 2 : 1 });
        await incoming(level, 'named');
        if (level === 'CONFIDENTIAL') {
          // Sổ chuyển giao: the unit hands its second copy to the named person, who signs and
          // attaches the scan of the signed page.
          const copies = (await t.deps.dbh.db.selectFrom('copies').select('id').where('item_id', '=', held.id).orderBy('seq_no').execute()).map((c) => c.id);
          await ok(clerk.post('/api/custody/hand-over', { copyIds: [copies[1]], to: { kind: 'user', id: id(named) } }));
          const eventId = await eventOf(held.id, 'hand_over');
          await ok((await client(named)).post(`/api/custody/${eventId}/confirm`));
          held.holderPeople.push(named);
          // One scan is enough: the rule that reads it does not depend on the unit.
          if (u === 'A') {
            const m = marker('quet');
            const bytes = fileWith(m);
            await ok(upload(await client(named), `/api/custody/${eventId}/receipt-scan`, bytes, 'phieu.pdf'));
            scans.push({ level, eventId, bytes, marker: m, signer: named });
          }
        }
        if (level === 'SECRET') {
          // Need-to-know by assignment: the head gives one officer of the unit the item it holds.
          expect((await head.post(`/api/items/${held.id}/assignments`, { userId: id(`officersecret${lc}`) })).statusCode).toBe(201);
          held.assigned.push(`officersecret${lc}`);
        }
      }
      // "Chỉ người có tên mới được bóc bì": the named person alone — not the head, not the clerk.
      await incoming('SECRET', 'named', { addresseeOnly: true });

      // Outgoing: drafted in the unit with its file, approved, issued by the agency's văn thư to
      // the other unit (whose head signs for it); the unit keeps its bản lưu.
      const drafter = await client(`drafter${lc}`);
      const summaryMarker = marker('di');
      const draft = await ok(
        drafter.post('/api/items', {
          kind: 'electronic_document',
          docType: 'Kế hoạch',
          summary: `Kế hoạch ${summaryMarker} đón đoàn`,
          field: 'Ngoại giao',
          level: 'SECRET',
          catalogItemIds: [catalogId],
          recipients: [{ kind: 'unit', unitId: units[other(u)], copies: 1 }],
          copyCount: 2,
          copyAllowed: false,
        }),
      );
      const fm = marker('tep');
      const nameMarker = marker('ten');
      const bytes = fileWith(fm);
      const f = await ok(upload(drafter, `/api/items/${draft.id}/attachments`, bytes, `${nameMarker}.pdf`));
      await ok(drafter.post(`/api/items/${draft.id}/propose`));
      await ok((await client('thutruong')).post(`/api/items/${draft.id}/approve`));
      await ok(
        (await client('clerktopsecretroot')).post(`/api/items/${draft.id}/issue`, { symbol: `KH-${u}`, documentDate: '2026-03-02', signerName: 'Lê Văn Giám' }),
      );
      await ok((await client(`headtopsecret${other(u).toLowerCase()}`)).post(`/api/custody/${await eventOf(draft.id, 'issue_internal')}/confirm`));
      items.push({
        id: draft.id,
        label: `${u}/outgoing/SECRET`,
        unit: u,
        level: 'SECRET',
        summaryMarker,
        file: { id: f.id, bytes, marker: fm, nameMarker },
        holderUnits: [u, other(u)],
        holderPeople: [],
        recipientUnits: [other(u)],
        assigned: [],
        issued: true,
      });
    }
    await client('admin', ADMIN_PASSWORD);
  }, 180_000);
  afterAll(() => t?.cleanup());

  /** Every route that can carry a summary, a file name or file bytes, as text. */
  async function replies(c: Client, v: Viewer, failures: string[]): Promise<{ url: string; status: number; text: string }[]> {
    const out: { url: string; status: number; text: string }[] = [];
    const get = async (url: string, as: 'text' | 'pdf' | 'xlsx' | 'bytes' = 'text') => {
      const r = await c.get(url);
      const body = r.rawPayload;
      const text =
        r.statusCode !== 200
          ? r.body
          : as === 'pdf'
            ? await pdfText(body)
            : as === 'xlsx'
              ? await xlsxText(body)
              : as === 'bytes'
                ? body.toString('latin1')
                : r.body;
      out.push({ url, status: r.statusCode, text });
      return r;
    };
    for (const reg of ['outgoing', 'incoming', 'transfer', 'copy']) {
      await get(`/api/registers/${reg}?year=2026&pageSize=200`);
      const exportsOk = exportsRegisters(v);
      for (const [url, as] of [
        [`/api/registers/${reg}/print.pdf?year=2026`, 'pdf'],
        [`/api/registers/${reg}/export.xlsx?year=2026`, 'xlsx'],
        [`/api/registers/${reg}/export.csv?year=2026`, 'text'],
      ] as const) {
        const r = await get(url, as);
        if ((r.statusCode === 200) !== exportsOk) failures.push(`${v.username} ${url}: ${r.statusCode}, expected ${exportsOk ? 200 : 403}`);
      }
    }
    await get('/api/search?pageSize=100');
    await get('/api/search?q=don%20doan&pageSize=100');
    for (const i of items) {
      if (i.summaryMarker) {
        // A hit on the summary word alone tells the word is there: found only where it may be read.
        const r = await get(`/api/search?q=${i.summaryMarker}`);
        // Officers and administrators do not search the registers at all (403): no hit either.
        const found = r.statusCode === 200 ? (r.json().total as number) : r.statusCode === 403 && !readsRegisters(v) ? 0 : -1;
        const may = readsRegisters(v) && (mayRead(v, i) || keeps(v, i));
        if (may ? found < 1 : found !== 0) failures.push(`${v.username} search for the summary word of ${i.label}: ${found} hits, expected ${may ? '≥ 1' : 0}`);
      }
      await get(`/api/items/${i.id}`);
      await get(`/api/items/${i.id}/attachments`);
      const env = await get(`/api/items/${i.id}/envelopes.pdf`, 'pdf');
      if ((env.statusCode === 200) !== printsEnvelopes(v, i)) failures.push(`${v.username} envelopes of ${i.label}: ${env.statusCode}`);
      if (i.file) {
        const r = await get(`/api/items/${i.id}/attachments/${i.file.id}`, 'bytes');
        const may = mayRead(v, i);
        if ((r.statusCode === 200) !== may) failures.push(`${v.username} file of ${i.label}: ${r.statusCode}, expected ${may ? 200 : 403}`);
        if (may && !r.rawPayload.equals(i.file.bytes)) failures.push(`${v.username} file of ${i.label}: bytes differ from those uploaded`);
      }
    }
    for (const s of scans) {
      const r = await get(`/api/custody/${s.eventId}/receipt-scan`, 'bytes');
      const may = readsScan(v, s);
      if ((r.statusCode === 200) !== may) failures.push(`${v.username} receipt scan ${s.eventId}: ${r.statusCode}, expected ${may ? 200 : 403}`);
      if (may && !r.rawPayload.equals(s.bytes)) failures.push(`${v.username} receipt scan: bytes differ from those uploaded`);
    }
    await get('/api/notifications');
    await get('/api/audit?pageSize=200');
    await get('/api/items?pageSize=100');
    await get('/api/my/copies');
    for (const u of Object.values(units)) await get(`/api/units/${u}/holdings`);
    return out;
  }

  async function walk(v: Viewer): Promise<string[]> {
    const failures: string[] = [];
    const c = await client(v.username, v.role === 'admin' && v.username === 'admin' ? ADMIN_PASSWORD : USER_PASSWORD);
    // Markers this viewer may meet: summaries it may read or keeps, files it may read, scans it reads.
    const allowed = new Set<string>();
    for (const i of items) {
      if (i.summaryMarker && (mayRead(v, i) || keeps(v, i))) allowed.add(i.summaryMarker);
      if (i.file && mayRead(v, i)) allowed.add(i.file.marker).add(i.file.nameMarker);
    }
    for (const s of scans) if (readsScan(v, s)) allowed.add(s.marker);
    const all = [...items.flatMap((i) => [i.summaryMarker, i.file?.marker, i.file?.nameMarker]), ...scans.map((s) => s.marker)].filter((m): m is string => !!m);
    for (const i of items) {
      const r = await c.get(`/api/items/${i.id}/content`);
      const may = mayRead(v, i);
      if ((r.statusCode === 200) !== may) failures.push(`${v.username} content of ${i.label}: ${r.statusCode}, expected ${may ? 200 : 403}`);
      for (const m of all) if (!allowed.has(m) && r.body.includes(m)) failures.push(`${v.username} content of ${i.label} leaks ${m}`);
    }
    for (const reply of await replies(c, v, failures)) {
      for (const m of all) if (!allowed.has(m) && reply.text.includes(m)) failures.push(`${v.username} ${reply.url} (${reply.status}) leaks ${m}`);
      if (reply.status >= 500) failures.push(`${v.username} ${reply.url} answered ${reply.status}`);
    }
    return failures;
  }

  it('walks every route × role × clearance × place: statuses follow the formulas, no marker of an unreadable row or file appears', async () => {
    expect(viewers.length).toBeGreaterThan(60);
    // The table reaches every case: someone reads each item, and someone is refused it.
    for (const i of items) expect([viewers.some((v) => mayRead(v, i)), viewers.some((v) => !mayRead(v, i) && !keeps(v, i))], i.label).toEqual([true, true]);
    const everyone = [...viewers, { username: 'admin', userId: '', role: 'admin' as Role, clearance: 'NONE' as Clearance, place: 'root' as const }];
    const failures: string[] = [];
    // A few viewers at a time: each viewer's requests run in order, PDF text and database waits overlap.
    for (let k = 0; k < everyone.length; k += 4) failures.push(...(await Promise.all(everyone.slice(k, k + 4).map(walk))).flat());
    expect(failures).toEqual([]);
  }, 300_000);
});
