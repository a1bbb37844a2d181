import { LEVEL_TABLE, type ItemKind, type Level, type ShorterPeriod } from '@khomat/policy';
import type { Item, ItemRecipient } from '../../kit/types';

// The proposal form as plain data, and what the server receives (docs/api.md POST /api/items).

export type RecipientKind = 'user' | 'unit' | 'outside';

export interface RecipientForm {
  kind: RecipientKind;
  userId?: string;
  unitId?: string;
  outsideName?: string;
  copies?: number | null;
  addresseeOnly?: boolean;
}

export interface DraftForm {
  kind: ItemKind;
  docType: string;
  summary: string;
  field: string;
  basis: string[];
  recipients: RecipientForm[];
  copyCount: number;
  copyAllowed: 'yes' | 'no';
  recallRequired?: boolean;
  shorter?: boolean;
  shorterMode?: 'length' | 'until';
  years?: number | null;
  months?: number | null;
  days?: number | null;
  /** YYYY-MM-DD */
  until?: string;
}

export interface DraftBody {
  kind: ItemKind;
  docType: string;
  summary: string;
  field: string;
  level: Level;
  catalogItemIds: string[];
  recipients: { kind: RecipientKind; userId?: string; unitId?: string; outsideName?: string; copies: number; addresseeOnly?: boolean }[];
  copyCount: number;
  copyAllowed: boolean;
  shorterPeriod?: ShorterPeriod;
  recallRequired?: boolean;
}

/** Mixed content takes the highest level (domain rule 1); null without a basis. */
export function levelFromBasis(levels: readonly Level[]): Level | null {
  let best: Level | null = null;
  for (const l of levels) if (!best || LEVEL_TABLE[l].rank > LEVEL_TABLE[best].rank) best = l;
  return best;
}

export function copiesOf(recipients: readonly (RecipientForm | undefined)[] | undefined): number {
  return (recipients ?? []).reduce((n, r) => n + (r && typeof r.copies === 'number' && r.copies > 0 ? r.copies : 0), 0);
}

/** Same recipient twice (the server refuses it: item.recipient_duplicate). */
export function recipientKey(r: RecipientForm | undefined): string | null {
  if (!r) return null;
  if (r.kind === 'user') return r.userId ? `user:${r.userId}` : null;
  if (r.kind === 'unit') return r.unitId ? `unit:${r.unitId}` : null;
  const name = r.outsideName?.trim().toLocaleLowerCase('vi');
  return name ? `outside:${name}` : null;
}

export function shorterPeriodOf(v: Pick<DraftForm, 'shorter' | 'shorterMode' | 'years' | 'months' | 'days' | 'until'>): ShorterPeriod | undefined {
  if (!v.shorter) return undefined;
  if (v.shorterMode === 'until') return v.until ? { until: v.until } : undefined;
  const out: { years?: number; months?: number; days?: number } = {};
  if (v.years) out.years = v.years;
  if (v.months) out.months = v.months;
  if (v.days) out.days = v.days;
  return Object.keys(out).length ? out : undefined;
}

export function draftBody(v: DraftForm, level: Level): DraftBody {
  const body: DraftBody = {
    kind: v.kind,
    docType: v.docType.trim(),
    summary: v.summary.trim(),
    field: v.field,
    level,
    catalogItemIds: v.basis,
    recipients: v.recipients.map((r) => {
      const copies = r.copies ?? 1;
      if (r.kind === 'user') return { kind: 'user', userId: r.userId, copies, addresseeOnly: !!r.addresseeOnly };
      if (r.kind === 'unit') return { kind: 'unit', unitId: r.unitId, copies };
      return { kind: 'outside', outsideName: r.outsideName?.trim(), copies };
    }),
    copyCount: v.copyCount,
    copyAllowed: v.copyAllowed === 'yes',
  };
  const sp = shorterPeriodOf(v);
  if (sp) body.shorterPeriod = sp;
  if (v.recallRequired) body.recallRequired = true;
  return body;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The item id in what a person pasted: the id itself or an address of an item page. */
export function itemIdFrom(text: string): string | null {
  const m = UUID.exec(text.trim());
  return m ? m[0].toLowerCase() : null;
}

/** The saved proposal that the edit form starts from (GET /api/items/:id, plus its summary). */
export interface SavedDraft {
  item: Pick<Item, 'kind' | 'docType' | 'field' | 'catalogItemId' | 'copiesPlanned' | 'copyAllowed' | 'recallRequired'> & {
    shorterPeriod?: ShorterPeriod | null;
    catalogItemIds?: string[];
  };
  recipients: readonly ItemRecipient[];
}

/** How the form finds ids for recipients the server names only (older replies carry no ids). */
export interface RecipientIds {
  unitByName: (name: string) => string | undefined;
  userByName: (name: string) => string | undefined;
}

/** The catalogue ids a saved item rests on (the primary one when the server lists no others). */
export function basisOf(item: SavedDraft['item']): string[] {
  if (item.catalogItemIds && item.catalogItemIds.length > 0) return [...item.catalogItemIds];
  return item.catalogItemId ? [item.catalogItemId] : [];
}

/**
 * The proposal form filled from a saved draft (editing sends the whole form again: PATCH is a full
 * replacement). A recipient whose id cannot be found is left for the person to choose again.
 */
export function draftFormFromItem(saved: SavedDraft, summary: string, ids: RecipientIds): DraftForm {
  const { item } = saved;
  const sp = item.shorterPeriod ?? null;
  const form: DraftForm = {
    kind: item.kind,
    docType: item.docType,
    summary,
    field: item.field ?? '',
    basis: basisOf(item),
    recipients: saved.recipients.map((r): RecipientForm => {
      if (r.kind === 'user') return { kind: 'user', userId: r.userId ?? ids.userByName(r.name), copies: r.copies, addresseeOnly: r.addresseeOnly };
      if (r.kind === 'unit') return { kind: 'unit', unitId: r.unitId ?? ids.unitByName(r.name), copies: r.copies };
      return { kind: 'outside', outsideName: r.name, copies: r.copies };
    }),
    copyCount: item.copiesPlanned,
    copyAllowed: item.copyAllowed ? 'yes' : 'no',
    recallRequired: item.recallRequired,
    shorter: !!sp,
    shorterMode: sp && 'until' in sp ? 'until' : 'length',
  };
  if (sp && 'until' in sp) form.until = sp.until;
  else if (sp) {
    form.years = sp.years ?? null;
    form.months = sp.months ?? null;
    form.days = sp.days ?? null;
  }
  return form;
}
