import { clearanceCovers, LEVEL_TABLE, type Clearance, type IsoDate, type Level } from '@khomat/policy';
import type { Holder } from '../copies/copies.rules';

// Providing / transferring a secret (cung cấp, chuyển giao; Luật 29/2018 Đ.15, Đ.16 — legal-basis
// §6) once the request is approved: who sends the copies, and what the agency's written answer
// (approval or reasoned refusal) says. Pure rules; the copies' own moves are the custody rules'
// (copies.rules.ts dispatch / confirm_receipt), the request's the request rules'.

export const PROVISION_TYPES = ['provide_domestic', 'provide_foreign'] as const;
export type ProvisionType = (typeof PROVISION_TYPES)[number];
export const isProvisionType = (t: string): t is ProvisionType => (PROVISION_TYPES as readonly string[]).includes(t);

// ---------------------------------------------------------------------------------------------
// Who sends the copies
// ---------------------------------------------------------------------------------------------

export interface SenderFacts {
  id: string;
  unitId: string;
  roles: readonly string[];
  clearance: Clearance;
}

export interface ProvisionCopyFacts {
  holder: Holder;
  /** The custody status (copies.rules COPY_STATUSES): only a copy at rest ('held') is sent. */
  status: string;
}

export interface ExecuteFacts {
  type: string;
  level: Level;
  actor: SenderFacts;
  copies: readonly ProvisionCopyFacts[];
  /** The approved number of copies (the decision's conditions), when the decision set one. */
  approvedQuantity: number | null;
}

export type ExecuteRefusal =
  | 'provision.not_provision'
  | 'provision.no_copies'
  | 'provision.quantity_exceeded'
  | 'provision.not_clerk'
  | 'provision.clearance_below_level'
  | 'provision.copy_unavailable'
  | 'provision.not_keeper';

/** The văn thư keeps a copy when it is in their own hands or kept by their unit. */
export const clerkKeeps = (actor: SenderFacts, holder: Holder): boolean =>
  (holder.kind === 'user' && holder.id === actor.id) || (holder.kind === 'unit' && holder.id === actor.unitId);

/**
 * The table, in order; the first refusal that applies decides. [I] Sending a secret out of the
 * agency is the văn thư's work (Luật 29/2018 Đ.13 k.1: carried by the văn thư or liaison staff,
 * registered in the outgoing register before sending — NĐ 26/2020 Đ.4 k.1): the văn thư who
 * keeps the copies — in their own hands or kept by their unit — sends them; a copy kept elsewhere
 * is first handed over to them (sổ chuyển giao). Only copies at rest are sent: a copy in transit,
 * taken out, lost or destroyed is not. No more copies than the approval allows.
 */
export const EXECUTE_RULES: readonly { code: ExecuteRefusal; applies: (f: ExecuteFacts) => boolean }[] = [
  { code: 'provision.not_provision', applies: (f) => !isProvisionType(f.type) },
  { code: 'provision.no_copies', applies: (f) => f.copies.length === 0 },
  { code: 'provision.quantity_exceeded', applies: (f) => f.approvedQuantity !== null && f.copies.length > f.approvedQuantity },
  { code: 'provision.not_clerk', applies: (f) => !f.actor.roles.includes('clerk') },
  { code: 'provision.clearance_below_level', applies: (f) => !clearanceCovers(f.actor.clearance, f.level) },
  { code: 'provision.copy_unavailable', applies: (f) => f.copies.some((c) => c.status !== 'held') },
  { code: 'provision.not_keeper', applies: (f) => f.copies.some((c) => !clerkKeeps(f.actor, c.holder)) },
];

export function checkSender(f: ExecuteFacts): { ok: true } | { ok: false; code: ExecuteRefusal } {
  const failed = EXECUTE_RULES.find((r) => r.applies(f));
  return failed ? { ok: false, code: failed.code } : { ok: true };
}

// ---------------------------------------------------------------------------------------------
// The written answer (văn bản trả lời): approval or reasoned refusal
// ---------------------------------------------------------------------------------------------

export interface LetterFacts {
  type: ProvisionType;
  agency: { name: string; code: string; parentBody: string | null };
  /** The letter's number (allocated once) — or, for an outside decision, the decision's own. */
  reference: { number: string; date: IsoDate };
  request: {
    submittedOn: IsoDate | null;
    purpose: string;
    requestingBody: string;
    representative: string;
    representativePosition: string | null;
    idDocument: string;
    nationality: string | null;
  };
  item: { docType: string; numberSymbol: string | null; documentDate: IsoDate | null; level: Level };
  /** Copies named in the request ("Bản số 2/3"). */
  copyLabels: readonly string[];
  decision: { outcome: 'approved'; deadline: IsoDate | null; quantity: number | null } | { outcome: 'refused'; reason: string };
  /**
   * In-system: the decider — under a delegation, signing for the agency head ("KT." + the head's
   * position, NĐ 30/2020 Phụ lục I); outside: the authority that decided, its signer and decision.
   */
  signer: { name: string; position: string; onBehalfOf?: string | null };
  outside: { authority: string; number: string; date: IsoDate; signer: string } | null;
}

export interface Letter {
  agencyLines: string[];
  numberLine: string;
  placeDate: string;
  subject: string;
  to: string[];
  paragraphs: string[];
  /** The signature block's lines above the name (position; "KT. <head>" first when signing for the head). */
  signer: { lines: string[]; name: string };
  recipients: string[];
}

/** "ngày 05 tháng 12 năm 2026" — the date line of an administrative letter (NĐ 30/2020 Phụ lục I). */
export function dateWords(d: IsoDate): string {
  const [y, m, day] = d.split('-');
  return `ngày ${day} tháng ${m} năm ${y}`;
}

const dmy = (d: IsoDate) => d.split('-').reverse().join('/');

/**
 * The agency's answer to a provision request, as text: it names the requesting body and its
 * representative, the written request, what is provided (the document by its number, date and
 * level — never its summary) and for what purpose, or the reason of refusal; the deadline of an
 * approval; who signs. Luật 29/2018 Đ.15–16 (legal-basis §6): the answer is written, a refusal
 * gives its reasons. For a decision taken outside the agency, the letter cites it (authority,
 * number, date) and carries its number, date and signer as recorded.
 */
export function letterOf(f: LetterFacts): Letter {
  const foreign = f.type === 'provide_foreign';
  const level = LEVEL_TABLE[f.item.level].labelVi;
  const doc = [f.item.docType, f.item.numberSymbol ? `số ${f.item.numberSymbol}` : null, f.item.documentDate ? `ngày ${dmy(f.item.documentDate)}` : null]
    .filter(Boolean)
    .join(' ');
  const asked = `Xét văn bản đề nghị cung cấp, chuyển giao bí mật nhà nước${f.request.submittedOn ? ` ngày ${dmy(f.request.submittedOn)}` : ''} của ${f.request.requestingBody}`;
  const rep = [
    `người đại diện: ${f.request.representative}`,
    f.request.representativePosition ? `chức vụ: ${f.request.representativePosition}` : null,
    foreign && f.request.nationality ? `quốc tịch: ${f.request.nationality}` : null,
    `${foreign ? 'hộ chiếu' : 'giấy tờ tùy thân'}: ${f.request.idDocument}`,
  ]
    .filter(Boolean)
    .join(', ');
  const basis = foreign
    ? 'Căn cứ Luật Bảo vệ bí mật nhà nước và quy định về cung cấp, chuyển giao bí mật nhà nước cho cơ quan, tổ chức, cá nhân nước ngoài;'
    : 'Căn cứ Luật Bảo vệ bí mật nhà nước và quy định về cung cấp, chuyển giao bí mật nhà nước cho cơ quan, tổ chức, người Việt Nam được giao thực hiện nhiệm vụ liên quan trực tiếp đến bí mật nhà nước;';
  const outside = f.outside ? `Theo quyết định của ${f.outside.authority} (văn bản số ${f.outside.number} ngày ${dmy(f.outside.date)});` : null;
  const paragraphs = [basis, ...(outside ? [outside] : []), `${asked} (${rep}),`];
  if (f.decision.outcome === 'approved') {
    const copies = f.copyLabels.length > 0 ? ` (${f.copyLabels.join(', ')})` : f.decision.quantity ? ` (${f.decision.quantity} bản)` : '';
    paragraphs.push(`${f.agency.name} đồng ý cung cấp, chuyển giao cho ${f.request.requestingBody}: ${doc}, độ ${level}${copies}.`);
    paragraphs.push(`Mục đích sử dụng: ${f.request.purpose}.`);
    if (f.decision.deadline) paragraphs.push(`Việc giao, nhận được thực hiện đến hết ngày ${dmy(f.decision.deadline)}, qua văn thư cơ quan, có ký nhận.`);
    paragraphs.push(
      `${f.request.requestingBody} có trách nhiệm quản lý, sử dụng và bảo vệ bí mật nhà nước được cung cấp theo đúng mục đích đã nêu và cam kết bảo vệ bí mật nhà nước trong văn bản đề nghị; không cung cấp, chuyển giao cho bên thứ ba.`,
    );
  } else {
    paragraphs.push(`${f.agency.name} không đồng ý cung cấp, chuyển giao ${doc}, độ ${level}.`);
    paragraphs.push(`Lý do: ${f.decision.reason}`);
  }
  paragraphs.push(`${f.agency.name} trả lời để ${f.request.requestingBody} biết.`);
  return {
    agencyLines: [...(f.agency.parentBody ? [f.agency.parentBody.toUpperCase()] : []), f.agency.name.toUpperCase()],
    numberLine: `Số: ${f.reference.number}`,
    placeDate: dateWords(f.reference.date),
    subject: f.decision.outcome === 'approved' ? 'V/v cung cấp, chuyển giao bí mật nhà nước' : 'V/v trả lời đề nghị cung cấp, chuyển giao bí mật nhà nước',
    to: [`${f.request.requestingBody}`, `(${f.request.representative}${f.request.representativePosition ? `, ${f.request.representativePosition}` : ''})`],
    paragraphs,
    signer: f.outside
      ? { lines: [f.outside.authority.toUpperCase()], name: f.outside.signer }
      : { lines: [...(f.signer.onBehalfOf ? [`KT. ${f.signer.onBehalfOf.toUpperCase()}`] : []), f.signer.position.toUpperCase()], name: f.signer.name },
    recipients: ['Như trên;', 'Lưu: VT.'],
  };
}

/** The number written on an in-system letter: "<n>/<agency code>-BM" (its year is the date's). */
export const letterNumber = (n: number, agencyCode: string) => `${n}/${agencyCode}-BM`;
