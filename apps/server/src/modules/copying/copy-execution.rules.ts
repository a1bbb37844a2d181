import { clearanceCovers, LEVEL_TABLE, type Clearance, type Level } from '@khomat/policy';
import type { CopyForm } from './copy-pdf';

// Carrying out an approved copy / photograph / extract request (sao y, sao lục, trích sao, chụp;
// Luật 29/2018 Đ.11, NĐ 26/2020 Đ.3 — legal-basis.md §3): who makes the copies, which form fits
// which request, the quantity (exactly the approved one), spoiled copies, the level of an extract
// and how the copies are shared among the approved recipients. Pure rules, tested as tables; the
// request's own state (approved, not expired) is requests.rules checkExecutable.

export const COPY_EXECUTION_FORMS = ['sao_y', 'sao_luc', 'trich_sao', 'chup'] as const;
export type CopyExecutionForm = (typeof COPY_EXECUTION_FORMS)[number];

/** As the copy register (Mẫu 12) and the copy stamp (Mẫu 09) write it. */
export const COPY_EXECUTION_FORM_LABEL_VI: Record<CopyExecutionForm, string> = {
  sao_y: 'Sao y',
  sao_luc: 'Sao lục',
  trich_sao: 'Trích sao',
  chup: 'Chụp',
};

/** The copy-pdf form of a copy made from the original's file; a photograph has none (no PDF made). */
export const PDF_FORM_OF: Record<CopyExecutionForm, CopyForm | null> = { sao_y: 'SAO_Y', sao_luc: 'SAO_LUC', trich_sao: 'TRICH_SAO', chup: null };

export type CopyingRequestType = 'copy' | 'photograph' | 'extract';

/**
 * Which forms carry out which request (NĐ 26/2020 Đ.3 k.1): a copy request is sao y or sao lục,
 * as the request names it (the approval was given for that form); a photograph is chụp; an extract
 * is trích sao.
 */
export const FORMS_OF_TYPE: Record<CopyingRequestType, readonly CopyExecutionForm[]> = {
  copy: ['sao_y', 'sao_luc'],
  photograph: ['chup'],
  extract: ['trich_sao'],
};

/** The copy row's origin (copies.origin) for each request type. */
export const ORIGIN_OF_TYPE: Record<CopyingRequestType, 'copy' | 'photo' | 'extract'> = { copy: 'copy', photograph: 'photo', extract: 'extract' };

export const isCopyingRequestType = (t: string): t is CopyingRequestType => t === 'copy' || t === 'photograph' || t === 'extract';

export interface ExecutorFacts {
  id: string;
  roles: readonly string[];
  clearance: Clearance;
  unitId: string;
  /** The actor's unit is the agency itself (its văn thư acts for every unit). */
  atAgency: boolean;
}

export type ExecutorRefusal =
  'copy_execution.not_copying' | 'copy_execution.not_clerk' | 'copy_execution.not_keeper_unit' | 'copy_execution.clearance_below_level';

/**
 * Who makes the copies: the văn thư of the unit that keeps the original (the item's unit) or of the
 * agency (NĐ 26/2020 Đ.3: copying at the place the head designates, by a person doing secret work —
 * Luật 29/2018 Đ.11 k.6), cleared for the level. [I] The requester may be that clerk: the approval,
 * not the execution, is the control the law sets.
 */
export function checkExecutor(input: {
  type: string;
  actor: ExecutorFacts;
  itemUnitId: string;
  level: Level;
}): { ok: true } | { ok: false; code: ExecutorRefusal } {
  if (!isCopyingRequestType(input.type)) return { ok: false, code: 'copy_execution.not_copying' };
  if (!input.actor.roles.includes('clerk')) return { ok: false, code: 'copy_execution.not_clerk' };
  if (input.actor.unitId !== input.itemUnitId && !input.actor.atAgency) return { ok: false, code: 'copy_execution.not_keeper_unit' };
  if (!clearanceCovers(input.actor.clearance, input.level)) return { ok: false, code: 'copy_execution.clearance_below_level' };
  return { ok: true };
}

export interface ExecutionInput {
  form: CopyExecutionForm;
  quantity: number;
  equipment: string;
  spoiled: number;
  spoiledNote?: string | null | undefined;
  /** Extract only: the level of the extracted part (≤ the source's). */
  partLevel?: Level | null | undefined;
}

export type ExecutionRefusal =
  | 'copy_execution.copy_forbidden'
  | 'copy_execution.form_mismatch'
  | 'copy_execution.quantity_mismatch'
  | 'copy_execution.equipment_required'
  | 'copy_execution.spoiled_invalid'
  | 'copy_execution.spoiled_note_required'
  | 'copy_execution.part_level_required'
  | 'copy_execution.part_level_above_source'
  | 'copy_execution.no_recipients'
  | 'copy_execution.recipients_exceed_quantity';

export interface ExecutionFacts {
  type: CopyingRequestType;
  input: ExecutionInput;
  item: { level: Level; copyAllowed: boolean };
  /** The form the request named (copy requests: sao_y / sao_luc), if any. */
  requestedForm: string | null;
  approved: { quantity: number | null; recipients: number };
}

/**
 * The checks of one execution, in order (the first that fails is the answer). NĐ 26/2020 Đ.3:
 * an item marked not to be copied is not copied (even if approved before it was so marked); exactly
 * the permitted number of copies; spoiled copies are destroyed at once and said so (count and a
 * note); the equipment is recorded (devices register later). Luật 29/2018 Đ.10 [I] for the extract:
 * its level is that of the extracted content, never above the source's.
 */
export const EXECUTION_RULES: readonly { code: ExecutionRefusal; fails: (f: ExecutionFacts) => boolean }[] = [
  { code: 'copy_execution.copy_forbidden', fails: (f) => !f.item.copyAllowed },
  {
    code: 'copy_execution.form_mismatch',
    fails: (f) => !FORMS_OF_TYPE[f.type].includes(f.input.form) || (f.type === 'copy' && f.requestedForm !== null && f.requestedForm !== f.input.form),
  },
  { code: 'copy_execution.quantity_mismatch', fails: (f) => f.approved.quantity === null || f.input.quantity !== f.approved.quantity },
  { code: 'copy_execution.equipment_required', fails: (f) => f.input.equipment.trim().length === 0 },
  { code: 'copy_execution.spoiled_invalid', fails: (f) => !Number.isInteger(f.input.spoiled) || f.input.spoiled < 0 },
  { code: 'copy_execution.spoiled_note_required', fails: (f) => f.input.spoiled > 0 && !(f.input.spoiledNote ?? '').trim() },
  { code: 'copy_execution.part_level_required', fails: (f) => f.type === 'extract' && !f.input.partLevel },
  {
    code: 'copy_execution.part_level_above_source',
    fails: (f) => f.type === 'extract' && !!f.input.partLevel && LEVEL_TABLE[f.input.partLevel].rank > LEVEL_TABLE[f.item.level].rank,
  },
  { code: 'copy_execution.no_recipients', fails: (f) => f.approved.recipients === 0 },
  { code: 'copy_execution.recipients_exceed_quantity', fails: (f) => f.approved.quantity !== null && f.approved.recipients > f.approved.quantity },
];

export function checkExecution(f: ExecutionFacts): { ok: true } | { ok: false; code: ExecutionRefusal } {
  const failed = EXECUTION_RULES.find((r) => r.fails(f));
  return failed ? { ok: false, code: failed.code } : { ok: true };
}

/**
 * Which recipient receives "Bản sao số k", k = 1..quantity: the approved recipients in order, each
 * a run of consecutive numbers, the first ones one more when the copies do not share evenly
 * (3 copies, 2 recipients → 1, 1, 2). Returns recipient indexes; needs 1 ≤ recipients ≤ quantity.
 */
export function shareCopies(quantity: number, recipients: number): number[] {
  if (recipients < 1 || quantity < recipients) throw new RangeError('shareCopies: 1 ≤ recipients ≤ quantity');
  const base = Math.floor(quantity / recipients);
  const extra = quantity % recipients;
  const out: number[] = [];
  for (let r = 0; r < recipients; r++) for (let k = 0; k < base + (r < extra ? 1 : 0); k++) out.push(r);
  return out;
}

/** "Bản sao số k" (Mẫu 11), k = 1..N within the request; photographs and extracts are numbered the same way. */
export const copyLabel = (k: number): string => `Bản sao số ${k}`;

/** The copy register's note (Mẫu 12 "Ghi chú (bản hỏng đã hủy)"). */
export function registerNote(spoiled: number, note: string | null | undefined): string | null {
  if (spoiled === 0) return null;
  const n = (note ?? '').trim();
  return `${spoiled} bản hỏng đã hủy${n ? `: ${n}` : ''}`;
}

export type FileReadReason = 'holder' | 'content';

/**
 * Who downloads a copy's produced PDF: its holder (the person, or the clerk or head of the unit
 * holding it), or whoever may read the item's content (need-to-know, items.rules); nobody else.
 */
export function copyFileReader(input: {
  actor: { id: string; unitId: string; roles: readonly string[] };
  holder: { kind: string; userId: string | null; unitId: string | null };
  contentAllowed: boolean;
}): FileReadReason | null {
  const { actor, holder } = input;
  if (holder.kind === 'user' && holder.userId === actor.id) return 'holder';
  if (holder.kind === 'unit' && holder.unitId === actor.unitId && (actor.roles.includes('clerk') || actor.roles.includes('head'))) return 'holder';
  return input.contentAllowed ? 'content' : null;
}
