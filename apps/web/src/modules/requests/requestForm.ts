import type { Recipient, RequestType, RequestView } from './requests';

// The request form (Lập đề nghị) as plain data: which parts each type asks for, the form's values
// → the body of POST/PUT /api/requests, a saved draft → the form's values again, and the server's
// detail issues → the fields they concern. The server's Zod schemas (requests.schemas.ts) stay the
// judge; this only asks for what they want.

/** The families of request types: what the form shows for each. */
export type TypeGroup = 'copying' | 'provide' | 'takeOut';

export const GROUP_OF_TYPE: Record<RequestType, TypeGroup> = {
  copy: 'copying',
  photograph: 'copying',
  extract: 'copying',
  provide_domestic: 'provide',
  provide_foreign: 'provide',
  take_out_domestic: 'takeOut',
  take_out_abroad: 'takeOut',
};

/** Types that make copies, refused by the server for an item marked "không được sao, chụp". */
export const isCopyingRequest = (t: RequestType) => GROUP_OF_TYPE[t] === 'copying';

/**
 * Types that concern particular copies of the item (the ones carried out or handed over); the
 * copying types make new copies from the item, so ask for none.
 */
export const asksForCopies = (t: RequestType) => GROUP_OF_TYPE[t] !== 'copying';

/** One row of "Nơi nhận" in the form. */
export interface RecipientForm {
  kind: 'user' | 'unit' | 'outside';
  userId?: string;
  unitId?: string;
  name?: string;
}

/** The form's values, every type's fields side by side (dates as yyyy-mm-dd). */
export interface RequestFormValues {
  type: RequestType;
  copyIds?: string[];
  purpose: string;
  // sao, chụp, trích sao
  form?: 'sao_y' | 'sao_luc';
  quantity?: number | null;
  recipients?: RecipientForm[];
  subject?: string;
  part?: string;
  // cung cấp, chuyển giao (Mẫu 17)
  requestingBody?: string;
  representative?: string;
  representativePosition?: string;
  nationality?: string;
  idDocument?: string;
  whatAsked?: string;
  commitment?: boolean;
  // mang ra khỏi nơi lưu giữ
  place?: string;
  country?: string;
  from?: string;
  to?: string;
  protectionMeasures?: string;
}

export interface DraftRequestBody {
  type: RequestType;
  itemId: string;
  copyIds?: string[];
  purpose: string;
  details: Record<string, unknown>;
}

const trimmed = (s: string | undefined) => (s ?? '').trim();
/** An optional text: left out when blank. */
const optional = (key: string, s: string | undefined): Record<string, string> => (trimmed(s) ? { [key]: trimmed(s) } : {});

export function recipientBody(r: RecipientForm): Recipient {
  if (r.kind === 'user') return { kind: 'user', userId: r.userId ?? '' };
  if (r.kind === 'unit') return { kind: 'unit', unitId: r.unitId ?? '' };
  return { kind: 'outside', name: trimmed(r.name) };
}

/** The same recipient twice (a person, a unit, or an outside body by its name, case aside). */
export function recipientKey(r: RecipientForm | undefined): string | null {
  if (!r) return null;
  if (r.kind === 'user') return r.userId ? `user:${r.userId}` : null;
  if (r.kind === 'unit') return r.unitId ? `unit:${r.unitId}` : null;
  const n = trimmed(r.name).toLocaleLowerCase('vi');
  return n ? `outside:${n}` : null;
}

/** The type's own fields, as the server's schema for that type wants them (nothing of another type). */
export function detailsBody(v: RequestFormValues): Record<string, unknown> {
  const quantity = typeof v.quantity === 'number' ? v.quantity : undefined;
  const recipients = (v.recipients ?? []).map(recipientBody);
  switch (v.type) {
    case 'copy':
      return { form: v.form ?? 'sao_y', quantity, recipients };
    case 'photograph':
      return { quantity, recipients, ...optional('subject', v.subject) };
    case 'extract':
      return { part: trimmed(v.part), quantity, recipients };
    case 'provide_domestic':
    case 'provide_foreign':
      return {
        requestingBody: trimmed(v.requestingBody),
        representative: trimmed(v.representative),
        ...(v.type === 'provide_foreign'
          ? { representativePosition: trimmed(v.representativePosition), nationality: trimmed(v.nationality) }
          : optional('representativePosition', v.representativePosition)),
        idDocument: trimmed(v.idDocument),
        whatAsked: trimmed(v.whatAsked),
        commitment: v.commitment === true,
        ...(quantity !== undefined ? { quantity } : {}),
      };
    case 'take_out_domestic':
    case 'take_out_abroad':
      return {
        place: trimmed(v.place),
        ...(v.type === 'take_out_abroad' ? { country: trimmed(v.country) } : {}),
        from: v.from ?? '',
        to: v.to ?? '',
        protectionMeasures: trimmed(v.protectionMeasures),
      };
  }
}

/** The body of POST /api/requests (a new draft) and PUT /api/requests/:id (the draft replaced). */
export function draftRequestBody(itemId: string, v: RequestFormValues): DraftRequestBody {
  const copyIds = asksForCopies(v.type) ? [...new Set(v.copyIds ?? [])] : [];
  return { type: v.type, itemId, ...(copyIds.length > 0 ? { copyIds } : {}), purpose: trimmed(v.purpose), details: detailsBody(v) };
}

const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/** A saved draft back into the form (to edit it). */
export function formValuesOf(r: Pick<RequestView, 'type' | 'copyIds' | 'purpose' | 'details'>): RequestFormValues {
  const d = r.details;
  const recipients = Array.isArray(d.recipients)
    ? (d.recipients as Recipient[]).map((x): RecipientForm =>
        x.kind === 'user' ? { kind: 'user', userId: x.userId } : x.kind === 'unit' ? { kind: 'unit', unitId: x.unitId } : { kind: 'outside', name: x.name },
      )
    : undefined;
  const out: RequestFormValues = { type: r.type, copyIds: r.copyIds, purpose: r.purpose };
  if (d.form === 'sao_y' || d.form === 'sao_luc') out.form = d.form;
  if (typeof d.quantity === 'number') out.quantity = d.quantity;
  if (recipients) out.recipients = recipients;
  if (typeof d.commitment === 'boolean') out.commitment = d.commitment;
  for (const k of [
    'subject',
    'part',
    'requestingBody',
    'representative',
    'representativePosition',
    'nationality',
    'idDocument',
    'whatAsked',
    'place',
    'country',
    'from',
    'to',
    'protectionMeasures',
  ] as const) {
    const s = str(d[k]);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** The first field of the form an issue of `request.details_invalid` concerns ("recipients.0.name" → ["recipients", 0, "name"]). */
export function issueField(path: string): (string | number)[] {
  return path
    .split('.')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The issues of a `request.details_invalid` refusal (details.issues), as the server sent them. */
export function detailIssues(details: Record<string, unknown> | undefined): { path: string; message: string }[] {
  const raw = details?.issues;
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (x): x is { path: string; message: string } =>
      typeof x === 'object' && x !== null && typeof (x as { path?: unknown }).path === 'string' && typeof (x as { message?: unknown }).message === 'string',
  );
}

/** A new request's type from the address (?type=…), when it is one. */
export function typeFromQuery(q: string | null, types: readonly RequestType[]): RequestType | undefined {
  return types.find((t) => t === q);
}
