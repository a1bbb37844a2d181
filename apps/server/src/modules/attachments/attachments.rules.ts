import { clearanceCovers, rolesAllow, type Clearance, type ItemKind, type Level, type Permission, type Role } from '@khomat/policy';
import { METADATA_ONLY_ROLES } from '../items/items.rules';

// Pure rules of attached files: which formats are accepted and how their content is recognised,
// how a file name is made safe to store and to send back, who may add or remove an electronic
// document's content files, and who may attach or read the scan of a signed receipt. No IO.

export const ATTACHMENT_PURPOSES = ['content', 'receipt_scan'] as const;
export type AttachmentPurpose = (typeof ATTACHMENT_PURPOSES)[number];

// ---------------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------------

export interface MediaTypeDefinition {
  type: string;
  /** Short name a clerk knows (shown in the refusal message). */
  label: string;
  /** Extensions, lower-case, without the dot. */
  extensions: readonly string[];
  /**
   * Leading bytes the content must start with (any one of them); null when the format has none
   * (plain text). Checked on the first bytes of the upload, so a renamed file is refused.
   */
  signatures: readonly (readonly number[])[] | null;
  purposes: readonly AttachmentPurpose[];
}

const PDF = [[0x25, 0x50, 0x44, 0x46, 0x2d]]; // %PDF-
const OLE2 = [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]]; // Word 97-2003, Excel 97-2003
const ZIP = [[0x50, 0x4b, 0x03, 0x04]]; // OOXML (docx, xlsx) and OpenDocument (odt, ods) are zip files
const BOTH: readonly AttachmentPurpose[] = ['content', 'receipt_scan'];
const CONTENT: readonly AttachmentPurpose[] = ['content'];

/** Accepted formats. A signed receipt page is a scan: PDF or an image only. */
export const MEDIA_TYPES: readonly MediaTypeDefinition[] = [
  { type: 'application/pdf', label: 'PDF', extensions: ['pdf'], signatures: PDF, purposes: BOTH },
  { type: 'application/msword', label: 'DOC', extensions: ['doc'], signatures: OLE2, purposes: CONTENT },
  { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'DOCX', extensions: ['docx'], signatures: ZIP, purposes: CONTENT },
  { type: 'application/vnd.oasis.opendocument.text', label: 'ODT', extensions: ['odt'], signatures: ZIP, purposes: CONTENT },
  { type: 'application/vnd.ms-excel', label: 'XLS', extensions: ['xls'], signatures: OLE2, purposes: CONTENT },
  { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'XLSX', extensions: ['xlsx'], signatures: ZIP, purposes: CONTENT },
  { type: 'application/vnd.oasis.opendocument.spreadsheet', label: 'ODS', extensions: ['ods'], signatures: ZIP, purposes: CONTENT },
  { type: 'image/jpeg', label: 'JPEG', extensions: ['jpg', 'jpeg'], signatures: [[0xff, 0xd8, 0xff]], purposes: BOTH },
  { type: 'image/png', label: 'PNG', extensions: ['png'], signatures: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]], purposes: BOTH },
  // Little- and big-endian TIFF, and BigTIFF (large scans).
  {
    type: 'image/tiff',
    label: 'TIFF',
    extensions: ['tif', 'tiff'],
    signatures: [
      [0x49, 0x49, 0x2a, 0x00],
      [0x4d, 0x4d, 0x00, 0x2a],
      [0x49, 0x49, 0x2b, 0x00],
    ],
    purposes: BOTH,
  },
  { type: 'text/plain', label: 'TXT', extensions: ['txt'], signatures: null, purposes: CONTENT },
];

/** Bytes of the upload to hold back until the signature is known (the longest signature). */
export const SIGNATURE_BYTES = Math.max(...MEDIA_TYPES.flatMap((m) => (m.signatures ?? []).map((s) => s.length)));

/** Names that browsers and old tools send for accepted formats. */
const TYPE_ALIASES: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'application/x-pdf': 'application/pdf' };

export function acceptedLabels(purpose: AttachmentPurpose): string {
  return MEDIA_TYPES.filter((m) => m.purposes.includes(purpose))
    .map((m) => m.label)
    .join(', ');
}

/**
 * The format of an upload: the declared `type` when given (parameters such as "; charset" are
 * ignored), else the file name's extension. Anything not in MEDIA_TYPES for the purpose is refused.
 */
export function resolveMediaType(fileName: string, declaredType: string | undefined, purpose: AttachmentPurpose): MediaTypeDefinition | undefined {
  const allowed = MEDIA_TYPES.filter((m) => m.purposes.includes(purpose));
  const declared = (declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  if (declared !== '') {
    const type = TYPE_ALIASES[declared] ?? declared;
    return allowed.find((m) => m.type === type);
  }
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return undefined;
  const ext = fileName.slice(dot + 1).toLowerCase();
  return allowed.find((m) => m.extensions.includes(ext));
}

/** Does the start of the content match the format? `head` holds at least SIGNATURE_BYTES bytes unless the file is shorter. */
export function contentMatches(def: MediaTypeDefinition, head: Uint8Array): boolean {
  if (def.signatures === null) return true;
  return def.signatures.some((sig) => head.length >= sig.length && sig.every((b, i) => head[i] === b));
}

// ---------------------------------------------------------------------------------------------
// File names
// ---------------------------------------------------------------------------------------------

export const MAX_FILE_NAME_LENGTH = 200;
// C0 and C1 controls, DEL; bidirectional overrides and isolates (they can make "abc‮fdp.exe"
// display as "abcexe.pdf"); zero-width characters and the BOM.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
// Not allowed in Windows file names, where most downloads end up.
const WINDOWS_RESERVED_CHARS = /[<>:"|?*]/g;
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const SPACES = /\s+/gu;

/**
 * A display name safe to store, list and send in Content-Disposition: Unicode NFC (Vietnamese
 * typed on a Mac arrives decomposed), no directory part, no control or invisible characters,
 * nothing Windows refuses, at most MAX_FILE_NAME_LENGTH characters keeping the extension.
 * Undefined when nothing usable is left.
 */
export function sanitiseFileName(raw: string): string | undefined {
  let name = raw.normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name.replace(INVISIBLE, '').replace(WINDOWS_RESERVED_CHARS, '_').replace(SPACES, ' ');
  // Windows drops trailing dots and spaces; a leading dot hides the file on Linux.
  name = name.replace(/^[\s.]+|[\s.]+$/gu, '');
  if (name === '') return undefined;
  const dot = name.lastIndexOf('.');
  const base = dot > 0 ? name.slice(0, dot) : name;
  if (WINDOWS_DEVICE_NAMES.test(base)) name = `_${name}`;
  const chars = [...name];
  if (chars.length > MAX_FILE_NAME_LENGTH) {
    const extChars = dot > 0 ? [...name.slice(name.lastIndexOf('.'))] : [];
    const keep = extChars.length > 0 && extChars.length <= 20 ? extChars : [];
    name =
      chars
        .slice(0, MAX_FILE_NAME_LENGTH - keep.length)
        .join('')
        .replace(/[\s.]+$/u, '') + keep.join('');
  }
  return name;
}

const D_LIKE: Readonly<Record<string, string>> = { đ: 'd', Đ: 'D' };

/** Plain ASCII stand-in for clients that ignore filename* (Vietnamese letters lose their marks). */
export function asciiFileName(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, (c) => D_LIKE[c] ?? '_')
    // Printable ASCII only, without the characters that end or escape a quoted header value.
    .replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return ascii.trim() === '' ? 'tep-dinh-kem' : ascii;
}

/** RFC 8187 (5987) value-chars: everything but attr-char percent-encoded as UTF-8. */
function encodeExtValue(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `Content-Disposition: attachment` with the UTF-8 name (RFC 6266 filename*) and an ASCII
 * fallback. The result is ASCII without control characters whatever `name` holds, so it cannot
 * split the header.
 */
export function contentDisposition(name: string): string {
  return `attachment; filename="${asciiFileName(name)}"; filename*=UTF-8''${encodeExtValue(name.normalize('NFC'))}`;
}

// ---------------------------------------------------------------------------------------------
// Who may add or remove an electronic document's content files
// ---------------------------------------------------------------------------------------------

export type ContentFileAction = 'add' | 'remove';

export interface ContentFileActor {
  id: string;
  roles: readonly Role[];
  clearance: Clearance;
  unitId: string;
}

export interface ContentFileItem {
  origin: string;
  kind: string;
  state: string;
  drafterId: string | null;
  /** The unit that drafted it, or that registered it on receipt. */
  unitId: string;
  /** The decided level, else the proposed one. */
  level: Level;
  addresseeOnly: boolean;
}

export interface ContentFileCopy {
  status: string;
  holderKind: string;
  holderUserId: string | null;
  holderUnitId: string | null;
}

export interface ContentFileFacts {
  actor: ContentFileActor;
  item: ContentFileItem;
  /** Every copy of the item (received items only; empty for drafts). */
  copies: readonly ContentFileCopy[];
  /** Active clerks (văn thư) of the item's unit. */
  unitClerkIds: readonly string[];
}

export type ContentFileRefusal =
  | 'attachment.not_drafter'
  | 'attachment.not_registering_clerk'
  | 'attachment.clearance_below_level'
  | 'attachment.addressee_only'
  | 'attachment.kind_not_electronic'
  | 'attachment.item_not_editable'
  | 'attachment.copies_moved_on';

export type ContentFileVia = 'drafter' | 'registering_clerk';

type Refusal = { code: ContentFileRefusal; when: (f: ContentFileFacts) => boolean };

interface ContentFileRule {
  via: ContentFileVia;
  /** Items of this origin follow this row. */
  origin: 'internal' | 'incoming';
  actions: readonly ContentFileAction[];
  /** The permission the actor needs for this row (the use case's first line checks any row's). */
  permission: Permission;
  /** Who this row lets act, and the refusal for anyone else. Checked first: a stranger learns nothing about the item. */
  who: { allows: (f: ContentFileFacts) => boolean; refusal: ContentFileRefusal };
  /** The row's own refusals before the kind and state checks. */
  before: readonly Refusal[];
  kinds: readonly ItemKind[];
  states: readonly string[];
  /** The row's own refusals after them. */
  after: readonly Refusal[];
}

const GONE = ['destroyed', 'lost'];

/**
 * A received item is still "with the unit that registered it" while every copy not destroyed or
 * lost is held by that unit itself or by one of its clerks — including a copy in transit, whose
 * holder stays the sender until the receiver signs (copies.rules.ts). Once a person other than
 * the unit's văn thư has signed for a copy, or a copy went to another unit or outside, its
 * content is in someone else's hands and the clerk no longer changes it.
 */
export function stillWithRegisteringUnit(f: Pick<ContentFileFacts, 'item' | 'copies' | 'unitClerkIds'>): boolean {
  const live = f.copies.filter((c) => !GONE.includes(c.status));
  return (
    live.length > 0 &&
    live.every(
      (c) =>
        (c.holderKind === 'unit' && c.holderUnitId === f.item.unitId) ||
        (c.holderKind === 'user' && c.holderUserId !== null && f.unitClerkIds.includes(c.holderUserId)),
    )
  );
}

/**
 * The table. An electronic document's content is its files, so they change only while the content
 * may: [I] while its drafter still edits it (draft, or returned for revision) — once proposed, the
 * authority decides on exactly what was proposed, and what is issued stays as issued; and, for a
 * document received from outside, by the văn thư of the unit that registered it while the copies
 * are still at the văn thư's desk (stillWithRegisteringUnit): a clerk attaches the file that came
 * with the document before passing it on, or removes a wrong one. An addressee-only envelope
 * stays sealed for its named person, so its clerk never handles its content. Whoever changes
 * content must be cleared for its level (checked right after `who`, for every row).
 */
export const CONTENT_FILE_RULES: readonly ContentFileRule[] = [
  {
    via: 'drafter',
    origin: 'internal',
    actions: ['add', 'remove'],
    permission: 'item.draft',
    who: { allows: (f) => rolesAllow(f.actor.roles, 'item.draft') && f.item.drafterId === f.actor.id, refusal: 'attachment.not_drafter' },
    before: [],
    kinds: ['electronic_document'],
    states: ['draft', 'returned'],
    after: [],
  },
  {
    via: 'registering_clerk',
    origin: 'incoming',
    actions: ['add', 'remove'],
    permission: 'item.receive',
    who: { allows: (f) => rolesAllow(f.actor.roles, 'item.receive') && f.actor.unitId === f.item.unitId, refusal: 'attachment.not_registering_clerk' },
    before: [{ code: 'attachment.addressee_only', when: (f) => f.item.addresseeOnly }],
    kinds: ['electronic_document'],
    states: ['received'],
    after: [{ code: 'attachment.copies_moved_on', when: (f) => !stillWithRegisteringUnit(f) }],
  },
];

/** Permissions that can lead to a content-file change at all (the use case's first line). */
export const CONTENT_FILE_PERMISSIONS: readonly Permission[] = [...new Set(CONTENT_FILE_RULES.map((r) => r.permission))];

export type ContentFileCheck = { ok: true; via: ContentFileVia } | { ok: false; code: ContentFileRefusal };

export function checkContentFileChange(action: ContentFileAction, f: ContentFileFacts): ContentFileCheck {
  const rule = CONTENT_FILE_RULES.find((r) => r.origin === f.item.origin && r.actions.includes(action));
  // No row for this origin: nobody changes its files. Said as "not the drafter", the common case.
  if (!rule) return { ok: false, code: 'attachment.not_drafter' };
  if (!rule.who.allows(f)) return { ok: false, code: rule.who.refusal };
  if (!clearanceCovers(f.actor.clearance, f.item.level)) return { ok: false, code: 'attachment.clearance_below_level' };
  for (const r of rule.before) if (r.when(f)) return { ok: false, code: r.code };
  if (!(rule.kinds as readonly string[]).includes(f.item.kind)) return { ok: false, code: 'attachment.kind_not_electronic' };
  if (!rule.states.includes(f.item.state)) return { ok: false, code: 'attachment.item_not_editable' };
  for (const r of rule.after) if (r.when(f)) return { ok: false, code: r.code };
  return { ok: true, via: rule.via };
}

// ---------------------------------------------------------------------------------------------
// Scans of signed receipts
// ---------------------------------------------------------------------------------------------

export type ReceiptScanRefusal = 'receipt_scan.not_confirmed' | 'receipt_scan.not_signer' | 'receipt_scan.exists';

export interface ReceiptScanFacts {
  actorId: string;
  /** When and by whom the custody event was confirmed: the receiver who signed, or the clerk who recorded an outside body's receipt. */
  event: { confirmedAt: string | null; confirmedBy: string | null };
  hasScan: boolean;
}

/**
 * "The receiver confirms receipt … and optionally a scan of the signed page": the person who
 * confirmed the event attaches the scan (for an outside body's receipt, the clerk who recorded
 * it — the same column), once it is confirmed, once per event.
 */
export function checkReceiptScanUpload(f: ReceiptScanFacts): { ok: true } | { ok: false; code: ReceiptScanRefusal } {
  if (f.event.confirmedAt === null) return { ok: false, code: 'receipt_scan.not_confirmed' };
  if (f.event.confirmedBy !== f.actorId) return { ok: false, code: 'receipt_scan.not_signer' };
  if (f.hasScan) return { ok: false, code: 'receipt_scan.exists' };
  return { ok: true };
}

export type ReceiptScanReadReason = 'register_keeper' | 'signer';

/** Who reads a scan: the reader, and the level of the item whose hand-over it records. */
export interface ScanReader {
  id: string;
  roles: readonly Role[];
  clearance: Clearance;
}

/**
 * A scan of a signed page is a picture nobody checked: whatever was written on that paper page is
 * in it (issue 11: one content decision). So it needs clearance for the item's level, and never
 * goes to a role that sees metadata only (inspector, administrator) — then the register's readers
 * (clerk, head, security officer) and the person who signed it read it.
 */
export const RECEIPT_SCAN_READERS: readonly { reason: ReceiptScanReadReason; applies: (u: ScanReader, confirmedBy: string | null) => boolean }[] = [
  { reason: 'register_keeper', applies: (u) => rolesAllow(u.roles, 'register.read') },
  { reason: 'signer', applies: (u, confirmedBy) => confirmedBy !== null && confirmedBy === u.id },
];

export function receiptScanReader(u: ScanReader, confirmedBy: string | null, level: Level): ReceiptScanReadReason | undefined {
  if (u.roles.some((r) => METADATA_ONLY_ROLES.includes(r)) || !clearanceCovers(u.clearance, level)) return undefined;
  return RECEIPT_SCAN_READERS.find((r) => r.applies(u, confirmedBy))?.reason;
}
