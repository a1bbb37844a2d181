import { formInForce, type Level } from '@khomat/policy';
import type { Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { RegisterEntryRow, SecretItemRow } from '../../platform/db/schema';
import { indexRegisterEntry } from '../search/search.index';
import { registerErrors } from './registers.errors';
import { allocateNumber, findArrivalEntry, insertEntry, registerYearState } from './registers.repository';

// Writing a register's row is a step of the use case that moves the copies (issue, dispatch,
// receiving, hand-over): it runs in that use case's transaction, so the movement, its numbered
// entry, its search row and its audit event commit together or not at all.

type Deps = Pick<AppDeps, 'clock' | 'ids'>;
type Tx = AppDeps['dbh']['db'];

export interface EntryInput {
  register: 'outgoing' | 'incoming' | 'transfer' | 'copy';
  item: SecretItemRow;
  custodyEventId: string | null;
  recipient: string | null;
  quantity: number;
  copyLabels: string;
  entryDate: string;
  note?: string | null;
  /** The copy register's (Mẫu 12) form of copy, who allowed it and who made the copies. */
  copy?: { form: string; authorisedBy: string; performedBy: string };
}

async function referenceWithArrivalNo(tx: Tx, item: SecretItemRow): Promise<string | null> {
  const arrival = await findArrivalEntry(tx, item.id);
  if (!arrival) return item.number_symbol;
  return [item.number_symbol, `số đến ${Number(arrival.number)}/${Number(arrival.year)}`].filter(Boolean).join(' — ');
}

/** Writes one register entry with the next number; the caller's transaction holds the number. */
export async function writeRegisterEntry(deps: Deps, tx: Tx, actor: Actor, e: EntryInput): Promise<RegisterEntryRow> {
  const year = Number(e.entryDate.slice(0, 4));
  const state = await registerYearState(tx, e.register, year);
  if (state.locked) throw registerErrors.yearLocked({ register: e.register, year });
  const form = formInForce(e.register, e.entryDate);
  const number = await allocateNumber(tx, `register:${e.register}`, year);
  const level = e.item.level as Level;
  // NĐ 63/2026: no summary for Tuyệt mật; addressee-only items are registered from the outer marks.
  const summary = level === 'TOP_SECRET' || e.item.addressee_only === 1 ? null : e.item.summary;
  // The transfer register's "Số, ký hiệu / số đến": a received item is also known by its arrival
  // number, which is what the unit's clerk finds it by.
  const numberSymbol = e.register === 'transfer' && e.item.origin === 'incoming' ? await referenceWithArrivalNo(tx, e.item) : e.item.number_symbol;
  const row: RegisterEntryRow = {
    id: deps.ids(),
    register: e.register,
    year,
    number,
    volume: state.currentVolume,
    entry_date: e.entryDate,
    item_id: e.item.id,
    custody_event_id: e.custodyEventId,
    unit_id: e.item.unit_id,
    number_symbol: numberSymbol,
    document_date: e.item.document_date,
    doc_type: e.item.doc_type,
    summary,
    level,
    signer: e.item.signer_name,
    issuer: e.item.issuer,
    recipient: e.recipient,
    quantity: e.quantity,
    copy_labels: e.copyLabels,
    received_by: null,
    received_at: null,
    received_on: null,
    note: e.note ?? null,
    form_code: form?.code ?? 'unknown',
    copy_form: e.copy?.form ?? null,
    authorised_by: e.copy?.authorisedBy ?? null,
    performed_by: e.copy?.performedBy ?? null,
    created_by: actor.userId,
    created_at: deps.clock.now().toISOString(),
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
  };
  await insertEntry(tx, row);
  // The search index row, in the same transaction (no SQL triggers).
  await indexRegisterEntry(tx, row);
  return row;
}
