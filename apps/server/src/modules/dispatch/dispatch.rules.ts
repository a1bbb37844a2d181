import { clearanceCovers, isAfter, isBefore, type Clearance, type IsoDate, type Level, type Role } from '@khomat/policy';

// Pure rules of receiving: the dates a clerk enters for what happened before it was recorded, and
// who completes the summary of an addressee-only envelope once its named person has opened it.

// ---------------------------------------------------------------------------------------------
// Dates entered by the clerk (the day a paper arrived; the day an outside body signed for a copy)
// ---------------------------------------------------------------------------------------------

export interface EnteredDateFacts {
  /** The date the clerk entered, already a valid 'YYYY-MM-DD' (Zod checked the shape). */
  date: IsoDate;
  /** Today in Việt Nam (civilDateInVietnam of the clock): nothing is recorded as happening later. */
  today: IsoDate;
  /** The document's own date ("ngày văn bản"): a paper cannot arrive or be signed for before it exists. */
  documentDate: IsoDate | null;
  /** The day the copy was sent (outside receipts only): nobody signs for it before it left. */
  sentOn?: IsoDate | null;
}

export type EnteredDateRefusal = 'date.after_today' | 'date.before_document_date' | 'date.before_sent';

/** Evaluated in order; the first refusal that applies decides. */
export const ENTERED_DATE_RULES: readonly { code: EnteredDateRefusal; applies: (f: EnteredDateFacts) => boolean }[] = [
  { code: 'date.after_today', applies: (f) => isAfter(f.date, f.today) },
  { code: 'date.before_document_date', applies: (f) => !!f.documentDate && isBefore(f.date, f.documentDate) },
  { code: 'date.before_sent', applies: (f) => !!f.sentOn && isBefore(f.date, f.sentOn) },
];

export function checkEnteredDate(f: EnteredDateFacts): { ok: true } | { ok: false; code: EnteredDateRefusal } {
  for (const r of ENTERED_DATE_RULES) if (r.applies(f)) return { ok: false, code: r.code };
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Completing the summary of an addressee-only envelope ("Chỉ người có tên mới được bóc bì")
// ---------------------------------------------------------------------------------------------

/**
 * `agree`: the named person records in KhoMật that the văn thư may write the summary for them;
 * `complete`: the summary is written into the item and its register rows.
 */
export type SummaryAction = 'agree' | 'complete';

export interface SummaryFacts {
  actor: { id: string; roles: readonly Role[]; clearance: Clearance; unitId: string; isAgencyClerk: boolean };
  item: {
    addresseeOnly: boolean;
    namedAddresseeId: string | null;
    level: Level;
    /** The unit that registered it (its văn thư keeps the incoming register row). */
    unitId: string;
    hasSummary: boolean;
    /** The named person's recorded agreement that the văn thư writes the summary. */
    agreed: boolean;
  };
  /** The named person has signed for the envelope in KhoMật: it is in their hands, and opened. */
  openedByAddressee: boolean;
}

export type SummaryVia = 'named_addressee' | 'clerk_with_agreement';

export type SummaryRefusal =
  | 'summary.not_addressee_only'
  | 'summary.not_named_addressee'
  | 'summary.clearance_below_level'
  | 'summary.top_secret'
  | 'summary.envelope_not_opened'
  | 'summary.already_completed'
  | 'summary.already_agreed'
  | 'summary.no_agreement';

const isItemClerk = (f: SummaryFacts) => f.actor.roles.includes('clerk') && (f.actor.isAgencyClerk || f.actor.unitId === f.item.unitId);

/** Who acts, by action: the named person always; the văn thư of the item's unit only to complete. */
function viaOf(action: SummaryAction, f: SummaryFacts): SummaryVia | null {
  if (f.item.namedAddresseeId !== null && f.actor.id === f.item.namedAddresseeId) return 'named_addressee';
  return action === 'complete' && isItemClerk(f) ? 'clerk_with_agreement' : null;
}

/**
 * The table, in order; the first refusal that applies decides. Who acts is checked right after the
 * item's kind, so a stranger learns nothing of its state. NĐ 26/2020 Đ.4 k.2: only the named
 * person opens the envelope; the clerk registered it from its outer marks, without a summary
 * (dispatch.usecases registerIncoming). [I] Once the named person has signed for it (opened), they
 * may complete the register's trích yếu, or agree in KhoMật that the văn thư writes it for them.
 * Tuyệt mật rows never carry a summary (NĐ 63/2026), so there is nothing to complete.
 */
export const SUMMARY_RULES: readonly {
  code: SummaryRefusal;
  actions: readonly SummaryAction[];
  applies: (f: SummaryFacts, via: SummaryVia | null) => boolean;
}[] = [
  { code: 'summary.not_addressee_only', actions: ['agree', 'complete'], applies: (f) => !f.item.addresseeOnly },
  { code: 'summary.not_named_addressee', actions: ['agree', 'complete'], applies: (_f, via) => via === null },
  { code: 'summary.clearance_below_level', actions: ['agree', 'complete'], applies: (f) => !clearanceCovers(f.actor.clearance, f.item.level) },
  { code: 'summary.top_secret', actions: ['agree', 'complete'], applies: (f) => f.item.level === 'TOP_SECRET' },
  { code: 'summary.envelope_not_opened', actions: ['agree', 'complete'], applies: (f) => !f.openedByAddressee },
  { code: 'summary.already_completed', actions: ['agree', 'complete'], applies: (f) => f.item.hasSummary },
  { code: 'summary.already_agreed', actions: ['agree'], applies: (f) => f.item.agreed },
  { code: 'summary.no_agreement', actions: ['complete'], applies: (f, via) => via === 'clerk_with_agreement' && !f.item.agreed },
];

export function checkSummary(action: SummaryAction, f: SummaryFacts): { ok: true; via: SummaryVia } | { ok: false; code: SummaryRefusal } {
  const via = viaOf(action, f);
  for (const r of SUMMARY_RULES) if (r.actions.includes(action) && r.applies(f, via)) return { ok: false, code: r.code };
  return { ok: true, via: via! };
}
