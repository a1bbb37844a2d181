import { civilDateInVietnam, foldForSearch } from '@khomat/policy';
import type { AppDeps } from '../../kernel/context';
import type { SecretItemRow } from '../../platform/db/schema';
import type { Holder } from '../copies/copies.rules';
import { itemErrors, ruleError } from './items.errors';
import * as repo from './items.repository';
import { applyItemEvent, type ItemStatus } from './items.rules';

// The small steps every stage of an item's life takes (classification, dispatch, hand-over,
// reading): load the item or say it is not found, move it through its lifecycle rule, index it.

type Tx = AppDeps['dbh']['db'];

/** Today's civil date in Việt Nam: the date registers, classifications and deadlines use. */
export const today = (deps: Pick<AppDeps, 'clock'>) => civilDateInVietnam(deps.clock.now());

type SearchedFields = Pick<SecretItemRow, 'number_symbol' | 'doc_type' | 'summary' | 'issuer' | 'level' | 'proposed_level'>;

export function itemSearchText(i: SearchedFields, recipients: string[] = []): string {
  // Tuyệt mật summaries are not indexed: the search index must not become a second register of
  // them. A draft has only its proposed level, which counts the same.
  const summary = (i.level ?? i.proposed_level) === 'TOP_SECRET' ? '' : (i.summary ?? '');
  return foldForSearch([i.number_symbol ?? '', i.doc_type, summary, i.issuer ?? '', ...recipients].join(' '));
}

export async function loadItem(db: Tx, id: string): Promise<SecretItemRow> {
  const item = await repo.findItem(db, id);
  if (!item) throw itemErrors.notFound({ id });
  return item;
}

/** The item's next status under its lifecycle rule, or the rule's refusal. */
export function transition(status: string, event: Parameters<typeof applyItemEvent>[1]): ItemStatus {
  const r = applyItemEvent(status as ItemStatus, event);
  if (!r.ok) throw ruleError(r.code, { status, event });
  return r.status;
}

/** A holder as people read it: the person's or unit's name, an outside body as written. */
export async function holderLabel(db: Tx, h: Holder): Promise<string> {
  if (h.kind === 'outside') return h.id;
  return (h.kind === 'user' ? await repo.findActiveUserName(db, h.id) : await repo.findOpenUnitName(db, h.id)) ?? h.id;
}
