import { LEVELS, type Level } from '@khomat/policy';
import { formatCivilDate, formatDateTime } from '../../kit/format';
import type { I18n } from '../../kit/i18n';
import type { ItemEvent } from '../../kit/types';

// The item's life as the audit trail records it (GET /api/items/:id `events`): how each step
// reads, pure (timeline.test.ts). The server sends allow-listed metadata only; ids become names.

export type Tone = 'done' | 'warn' | 'bad' | 'info';

/** How each action reads at a glance: approvals and receipts done, returns warned, incidents bad. */
export const TONE: Record<string, Tone> = {
  'item.classified': 'done',
  'item.issued': 'done',
  'item.received': 'done',
  'custody.receipt_confirmed': 'done',
  'custody.outside_receipt_recorded': 'done',
  'item.summary_completed': 'done',
  'item.returned': 'warn',
  'item.assignment_revoked': 'warn',
  'item.attachment_removed': 'warn',
  'incident.envelope_reported': 'bad',
  'item.content_refused': 'bad',
  'item.attachment_refused': 'bad',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const CIVIL = /^\d{4}-\d{2}-\d{2}$/;
/** Details that mean nothing to a reader. */
const HIDDEN = new Set(['itemId', 'subjectId', 'eventId']);
/** The return reason is shown in its own box; the reason of a content read is a code. */
export const RETURN_ACTIONS = new Set(['item.returned']);

/** Names of the people and units an item's page knows, by id (ids themselves are never shown). */
export type NameBook = ReadonlyMap<string, string>;

function valueText(i: I18n, key: string, value: unknown, names: NameBook): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return value ? i.t('common.yes') : i.t('common.no');
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const id = (value as { id?: unknown }).id;
    return typeof id === 'string' ? (names.get(id) ?? null) : null;
  }
  if (typeof value !== 'string') return Array.isArray(value) && value.every((v) => typeof v === 'string' && !UUID.test(v)) ? value.join(', ') : null;
  if (UUID.test(value)) return names.get(value) ?? null;
  if (key === 'kind') return i.codeLabel('kind', value);
  if ((LEVELS as readonly string[]).includes(value)) return i.clearanceLabel(value as Level);
  if (CIVIL.test(value)) return formatCivilDate(value);
  if (ISO_INSTANT.test(value)) return formatDateTime(value);
  return i.detailValue(key, value) ?? value;
}

/** The details a reader can use: labelled keys with readable values (never ids). */
export function eventDetailLines(i: I18n, e: ItemEvent, names: NameBook = new Map()): { key: string; label: string; value: string }[] {
  const out: { key: string; label: string; value: string }[] = [];
  for (const [key, raw] of Object.entries(e.details ?? {})) {
    if (HIDDEN.has(key) || (key === 'reason' && RETURN_ACTIONS.has(e.action))) continue;
    const label = e.action.startsWith('item.assignment') && key === 'userId' ? i.t('assign.person') : i.detailLabel(key);
    if (label === key) continue;
    const value = valueText(i, key, raw, names);
    if (value !== null) out.push({ key, label, value });
  }
  return out;
}
