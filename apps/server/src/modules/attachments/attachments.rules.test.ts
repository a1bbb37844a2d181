import { CLEARANCES, ITEM_KINDS, LEVELS, ROLES, type Clearance, type Role } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import { ITEM_STATUSES } from '../items/items.rules';
import {
  acceptedLabels,
  asciiFileName,
  checkContentFileChange,
  checkReceiptScanUpload,
  CONTENT_FILE_PERMISSIONS,
  contentDisposition,
  contentMatches,
  MAX_FILE_NAME_LENGTH,
  MEDIA_TYPES,
  receiptScanReader,
  resolveMediaType,
  sanitiseFileName,
  SIGNATURE_BYTES,
  stillWithRegisteringUnit,
  type ContentFileCopy,
  type ContentFileFacts,
} from './attachments.rules';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('formats', () => {
  it.each([
    ['Báo cáo.pdf', 'application/pdf'],
    ['to-trinh.DOC', 'application/msword'],
    ['Kế hoạch.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['a.odt', 'application/vnd.oasis.opendocument.text'],
    ['bang.xls', 'application/vnd.ms-excel'],
    ['bang.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['bang.ods', 'application/vnd.oasis.opendocument.spreadsheet'],
    ['scan.jpg', 'image/jpeg'],
    ['scan.JPEG', 'image/jpeg'],
    ['scan.png', 'image/png'],
    ['scan.tif', 'image/tiff'],
    ['scan.tiff', 'image/tiff'],
    ['ghi-chu.txt', 'text/plain'],
  ])('a content file %s is %s by its extension', (name, type) => {
    expect(resolveMediaType(name, undefined, 'content')?.type).toBe(type);
    expect(resolveMediaType(name, '', 'content')?.type).toBe(type);
  });

  it.each(['virus.exe', 'trang.html', 'nen.zip', 'khong-duoi', 'a.pdf.js', 'macro.docm', '.pdf.', 'x.svg'])('refuses %s', (name) => {
    expect(resolveMediaType(name, undefined, 'content')).toBeUndefined();
  });

  it('a declared type wins over the extension, is case-insensitive and ignores parameters; aliases are known', () => {
    expect(resolveMediaType('khong-duoi', 'application/PDF', 'content')?.type).toBe('application/pdf');
    expect(resolveMediaType('a.txt', 'text/plain; charset=utf-8', 'content')?.type).toBe('text/plain');
    expect(resolveMediaType('a', 'image/jpg', 'content')?.type).toBe('image/jpeg');
    expect(resolveMediaType('a.pdf', 'text/html', 'content')).toBeUndefined();
    expect(resolveMediaType('a.pdf', 'application/octet-stream', 'content')).toBeUndefined();
  });

  it('a receipt scan is PDF or an image only', () => {
    for (const m of MEDIA_TYPES) {
      const scan = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'].includes(m.type);
      expect(resolveMediaType(`x.${m.extensions[0]}`, undefined, 'receipt_scan')?.type, m.type).toBe(scan ? m.type : undefined);
      expect(resolveMediaType('x', m.type, 'receipt_scan')?.type, m.type).toBe(scan ? m.type : undefined);
      expect(resolveMediaType('x', m.type, 'content')?.type).toBe(m.type);
    }
    expect(acceptedLabels('receipt_scan')).toBe('PDF, JPEG, PNG, TIFF');
    expect(acceptedLabels('content')).toBe('PDF, DOC, DOCX, ODT, XLS, XLSX, ODS, JPEG, PNG, TIFF, TXT');
  });

  const byLabel = (l: string) => MEDIA_TYPES.find((m) => m.label === l)!;
  it.each([
    ['PDF', ascii('%PDF-1.7\n'), ascii('<html>')],
    ['DOC', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0), ascii('PK\x03\x04abcd')],
    ['XLS', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a)],
    ['DOCX', ascii('PK\x03\x04\x14\x00\x06\x00'), ascii('PK\x05\x06\x00\x00\x00\x00')],
    ['XLSX', ascii('PK\x03\x04'), ascii('%PDF-1.4')],
    ['ODT', ascii('PK\x03\x04....'), ascii('MZ\x90\x00')],
    ['ODS', ascii('PK\x03\x04....'), ascii('')],
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0), bytes(0xff, 0xd8, 0x00)],
    ['PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), bytes(0x89, 0x50, 0x4e, 0x47)],
    ['TIFF', ascii('II*\x00\x08\x00'), ascii('II\x00*')],
  ])('%s content must start with its signature', (label, good, bad) => {
    expect(contentMatches(byLabel(label), good)).toBe(true);
    expect(contentMatches(byLabel(label), bad)).toBe(false);
  });

  it('TIFF in both byte orders and BigTIFF; plain text has no signature', () => {
    for (const h of ['II*\x00', 'MM\x00*', 'II+\x00']) expect(contentMatches(byLabel('TIFF'), ascii(h))).toBe(true);
    expect(contentMatches(byLabel('TXT'), ascii('bất kỳ'))).toBe(true);
    expect(SIGNATURE_BYTES).toBe(8);
  });
});

describe('file names', () => {
  it.each([
    ['Báo cáo tình hình.pdf', 'Báo cáo tình hình.pdf'],
    // Decomposed (as typed on a Mac) becomes composed.
    ['Ba\u0301o ca\u0301o.pdf', 'Báo cáo.pdf'],
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['C:\\Users\\vanthu\\Desktop\\Kế hoạch.docx', 'Kế hoạch.docx'],
    ['a\r\nX-Evil: 1.pdf', 'aX-Evil_ 1.pdf'],
    ['tên\u0000ẩn.pdf', 'tênẩn.pdf'],
    ['hoa-don\u202Efdp.exe', 'hoa-donfdp.exe'],
    ['  nhiều    khoảng   trắng .pdf  ', 'nhiều khoảng trắng .pdf'],
    ['a<b>c:"d"|e?f*.pdf', 'a_b_c__d__e_f_.pdf'],
    ['tệp cuối.pdf...', 'tệp cuối.pdf'],
    ['.an.pdf', 'an.pdf'],
    ['CON.pdf', '_CON.pdf'],
    ['lpt1', '_lpt1'],
    ['con-meo.pdf', 'con-meo.pdf'],
    ['zero\u200Bwidth.pdf', 'zerowidth.pdf'],
  ])('%j → %j', (raw, want) => {
    expect(sanitiseFileName(raw)).toBe(want);
  });

  it.each(['', '   ', '...', '/', 'a/', '\r\n', '\u202E'])('nothing usable in %j', (raw) => {
    expect(sanitiseFileName(raw)).toBeUndefined();
  });

  it('keeps the extension when shortening a long name, counting characters not bytes', () => {
    const long = `${'Đề án bảo vệ '.repeat(40)}.docx`;
    const name = sanitiseFileName(long)!;
    expect([...name].length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('.docx')).toBe(true);
    expect(name.startsWith('Đề án bảo vệ')).toBe(true);
    expect(sanitiseFileName('ả'.repeat(MAX_FILE_NAME_LENGTH))).toBe('ả'.repeat(MAX_FILE_NAME_LENGTH));
  });

  it('Content-Disposition: UTF-8 name in filename*, ASCII fallback without diacritics, nothing that splits or escapes the header', () => {
    expect(contentDisposition('Kế hoạch đón đoàn.pdf')).toBe(
      `attachment; filename="Ke hoach don doan.pdf"; filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20%C4%91%C3%B3n%20%C4%91o%C3%A0n.pdf`,
    );
    expect(asciiFileName('ĐỀ ÁN.pdf')).toBe('DE AN.pdf');
    expect(asciiFileName('báo "cáo"; 100%\\x.pdf')).toBe('bao _cao__ 100__x.pdf');
    expect(asciiFileName('漢字')).toBe('__');
    expect(asciiFileName('')).toBe('tep-dinh-kem');
    expect(contentDisposition("it's (1)*.pdf")).toContain("filename*=UTF-8''it%27s%20%281%29%2A.pdf");
    // Even an unsanitised name yields a single-line ASCII header value.
    for (const nasty of ['a\r\nX-Evil: 1.pdf', 'x\u0000y', 'ü\u2028z', '"; filename="evil.exe']) {
      const h = contentDisposition(nasty);
      expect(h).toMatch(/^[\x20-\x7e]+$/);
      expect(h.match(/"/g)).toHaveLength(2);
    }
    // filename* decodes back to the exact name.
    const name = 'Tờ trình số 12 (bản cuối).docx';
    expect(decodeURIComponent(contentDisposition(name).split("UTF-8''")[1]!)).toBe(name);
  });
});

describe('who may add or remove content files', () => {
  const clerkOfUnit = 'u-clerk';
  const base = (
    over: { actor?: Partial<ContentFileFacts['actor']>; item?: Partial<ContentFileFacts['item']>; copies?: ContentFileCopy[] } = {},
  ): ContentFileFacts => ({
    actor: { id: 'u-drafter', roles: ['officer'], clearance: 'SECRET', unitId: 'unit-a', ...over.actor },
    item: {
      origin: 'internal',
      kind: 'electronic_document',
      state: 'draft',
      drafterId: 'u-drafter',
      unitId: 'unit-a',
      level: 'SECRET',
      addresseeOnly: false,
      ...over.item,
    },
    copies: over.copies ?? [],
    unitClerkIds: [clerkOfUnit, 'u-clerk-2'],
  });
  const held = (over: Partial<ContentFileCopy>): ContentFileCopy => ({
    status: 'held',
    holderKind: 'user',
    holderUserId: clerkOfUnit,
    holderUnitId: null,
    ...over,
  });
  const incoming = (over: { actor?: Partial<ContentFileFacts['actor']>; item?: Partial<ContentFileFacts['item']>; copies?: ContentFileCopy[] } = {}) =>
    base({
      actor: { id: clerkOfUnit, roles: ['clerk'], ...over.actor },
      item: { origin: 'incoming', state: 'received', drafterId: null, ...over.item },
      copies: over.copies ?? [held({ status: 'in_transit' })],
    });

  it('the first-line permissions are those of the table', () => {
    expect(CONTENT_FILE_PERMISSIONS).toEqual(['item.draft', 'item.receive']);
  });

  // Every state × kind for the drafter: allowed exactly for an electronic document in draft/returned.
  for (const action of ['add', 'remove'] as const) {
    for (const state of ITEM_STATUSES) {
      for (const kind of ITEM_KINDS) {
        const expected =
          kind !== 'electronic_document' ? 'attachment.kind_not_electronic' : ['draft', 'returned'].includes(state) ? 'ok' : 'attachment.item_not_editable';
        it(`drafter ${action} on ${kind} in ${state} → ${expected}`, () => {
          const r = checkContentFileChange(action, base({ item: { kind, state } }));
          expect(r.ok ? 'ok' : r.code).toBe(expected);
          if (r.ok) expect(r.via).toBe('drafter');
        });
      }
    }
  }

  // Every role and clearance for an internal draft: only its drafter, with a role that drafts, cleared for its level.
  for (const role of ROLES) {
    for (const clearance of CLEARANCES) {
      it(`an internal draft: ${role} with ${clearance}, as drafter and as someone else`, () => {
        const drafts = ['officer', 'head', 'clerk', 'security_officer'].includes(role);
        const cleared = ['SECRET', 'TOP_SECRET'].includes(clearance);
        const mine = checkContentFileChange('add', base({ actor: { roles: [role as Role], clearance: clearance as Clearance } }));
        expect(mine.ok ? 'ok' : mine.code).toBe(!drafts ? 'attachment.not_drafter' : cleared ? 'ok' : 'attachment.clearance_below_level');
        const other = checkContentFileChange('add', base({ actor: { id: 'someone', roles: [role as Role], clearance: clearance as Clearance } }));
        expect(other.ok ? 'ok' : other.code).toBe('attachment.not_drafter');
      });
    }
  }

  it('the level checked is the one given (decided, else proposed)', () => {
    const r = checkContentFileChange('add', base({ item: { level: 'TOP_SECRET' } }));
    expect(r).toEqual({ ok: false, code: 'attachment.clearance_below_level' });
  });

  it('a received electronic document: its unit clerk while the copies are still at the văn thư desk', () => {
    expect(checkContentFileChange('add', incoming())).toEqual({ ok: true, via: 'registering_clerk' });
    expect(checkContentFileChange('remove', incoming())).toEqual({ ok: true, via: 'registering_clerk' });
    // Another clerk of the same unit too.
    expect(checkContentFileChange('add', incoming({ actor: { id: 'u-clerk-2' } })).ok).toBe(true);
    const code = (f: ContentFileFacts) => {
      const r = checkContentFileChange('add', f);
      return r.ok ? 'ok' : r.code;
    };
    expect(code(incoming({ actor: { unitId: 'unit-b' } }))).toBe('attachment.not_registering_clerk');
    expect(code(incoming({ actor: { roles: ['officer'] } }))).toBe('attachment.not_registering_clerk');
    expect(code(incoming({ actor: { roles: ['head'] } }))).toBe('attachment.not_registering_clerk');
    expect(code(incoming({ actor: { roles: ['inspector'] } }))).toBe('attachment.not_registering_clerk');
    expect(code(incoming({ actor: { clearance: 'CONFIDENTIAL' } }))).toBe('attachment.clearance_below_level');
    expect(code(incoming({ item: { addresseeOnly: true } }))).toBe('attachment.addressee_only');
    expect(code(incoming({ item: { kind: 'document' } }))).toBe('attachment.kind_not_electronic');
    expect(code(incoming({ item: { state: 'issued' } }))).toBe('attachment.item_not_editable');
    expect(code(incoming({ copies: [held({ holderUserId: 'u-officer' })] }))).toBe('attachment.copies_moved_on');
    // The drafter row never applies to a received item, nor the clerk row to a draft.
    expect(code(incoming({ actor: { id: 'u-drafter', roles: ['officer'] }, item: { drafterId: 'u-drafter' } }))).toBe('attachment.not_registering_clerk');
    expect(code(base({ actor: { id: clerkOfUnit, roles: ['clerk'] } }))).toBe('attachment.not_drafter');
    expect(code(base({ item: { origin: 'imported' } }))).toBe('attachment.not_drafter');
  });

  it.each<[string, ContentFileCopy[], boolean]>([
    ['in transit from the clerk, not yet signed', [held({ status: 'in_transit' })], true],
    ['held by the unit itself', [held({ holderKind: 'unit', holderUserId: null, holderUnitId: 'unit-a' })], true],
    ['held by another clerk of the unit', [held({ holderUserId: 'u-clerk-2' })], true],
    ['one copy signed for by an officer', [held({}), held({ holderUserId: 'u-officer' })], false],
    ['held by another unit', [held({ holderKind: 'unit', holderUserId: null, holderUnitId: 'unit-b' })], false],
    ['sent outside', [held({ holderKind: 'outside', holderUserId: null })], false],
    ['taken out by the clerk', [held({ status: 'taken_out' })], true],
    [
      'destroyed and lost copies do not count',
      [held({}), held({ status: 'destroyed', holderUserId: 'u-officer' }), held({ status: 'lost', holderUserId: 'x' })],
      true,
    ],
    ['no live copy at all', [held({ status: 'destroyed' })], false],
    ['no copy at all', [], false],
  ])('still with the registering unit: %s → %s', (_label, copies, expected) => {
    expect(stillWithRegisteringUnit({ item: incoming().item, copies, unitClerkIds: [clerkOfUnit, 'u-clerk-2'] })).toBe(expected);
  });
});

describe('receipt scans', () => {
  it.each<[string, { confirmedAt: string | null; confirmedBy: string | null }, boolean, string]>([
    ['the signer, confirmed, no scan yet', { confirmedAt: '2026-03-02T01:00:00Z', confirmedBy: 'me' }, false, 'ok'],
    ['not confirmed yet', { confirmedAt: null, confirmedBy: null }, false, 'receipt_scan.not_confirmed'],
    ['someone else confirmed it', { confirmedAt: '2026-03-02T01:00:00Z', confirmedBy: 'other' }, false, 'receipt_scan.not_signer'],
    ['a second scan', { confirmedAt: '2026-03-02T01:00:00Z', confirmedBy: 'me' }, true, 'receipt_scan.exists'],
  ])('upload: %s → %s', (_l, event, hasScan, expected) => {
    const r = checkReceiptScanUpload({ actorId: 'me', event, hasScan });
    expect(r.ok ? 'ok' : r.code).toBe(expected);
  });

  it.each(ROLES.flatMap((r) => CLEARANCES.flatMap((c) => LEVELS.map((l) => [r, c, l] as const))))(
    'read by %s cleared %s, item %s: cleared register readers, else the cleared signer; never a metadata-only role',
    (role, clearance, level) => {
      const cleared = CLEARANCES.indexOf(clearance) >= CLEARANCES.indexOf(level);
      const metadataOnly = role === 'inspector' || role === 'admin';
      const keeper = ['clerk', 'head', 'security_officer'].includes(role) && cleared;
      const u = { id: 'me', roles: [role], clearance };
      expect(receiptScanReader(u, 'other', level)).toBe(keeper ? 'register_keeper' : undefined);
      expect(receiptScanReader(u, 'me', level)).toBe(keeper ? 'register_keeper' : cleared && !metadataOnly ? 'signer' : undefined);
      expect(receiptScanReader(u, null, level)).toBe(keeper ? 'register_keeper' : undefined);
    },
  );
});
