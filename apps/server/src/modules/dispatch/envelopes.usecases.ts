import { envelopeFor, type Level } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import { renderEnvelopeLabels } from '../registers/print/envelope-pdf';
import { requireHandling } from '../items/handling';
import { itemErrors } from '../items/items.errors';
import * as repo from '../items/items.repository';

type Deps = Pick<AppDeps, 'dbh' | 'audit'>;

/**
 * Envelope labels of an issued item (NĐ 26/2020 Đ.4: A/B/C, the inner envelope of Tuyệt mật, "Chỉ
 * người có tên mới được bóc bì", "Tài liệu thu hồi"): one set per recipient, whose copies go in
 * one envelope — as they are one line of the outgoing register — or, when the clerk splits them
 * (`perCopy`), one set per copy. Printing is audited; the labels carry no content.
 */
export async function printEnvelopeLabels(deps: Deps, actor: Actor | null, itemId: string, opts: { perCopy?: boolean } = {}): Promise<Uint8Array> {
  requirePermission(actor, 'item.issue');
  const db = deps.dbh.db;
  const item = await repo.findItem(db, itemId);
  if (!item) throw itemErrors.notFound({ id: itemId });
  if (item.state !== 'issued' || !item.level) throw itemErrors.notClassified({ state: item.state });
  await requireHandling(db, actor, 'print_envelopes', item.level as Level, item.unit_id);
  const recipients = await repo.findRecipients(db, itemId);
  const groups = recipients.flatMap((r) => {
    const name = r.user_name ?? r.unit_name ?? r.outside_name ?? '';
    const envelopes = envelopeFor({
      level: item.level as Level,
      addresseeOnly: r.addressee_only === 1,
      recallRequired: item.recall_required === 1,
      recipientName: r.kind === 'outside' ? null : name,
      numberSymbol: item.number_symbol,
    });
    return Array.from({ length: opts.perCopy ? r.copies : 1 }, () => ({ recipient: name, envelopes }));
  });
  const pdf = await renderEnvelopeLabels(groups, { sender: (await repo.findAgencyName(db)) ?? '' });
  await db.transaction().execute((tx) =>
    deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'item.envelopes_printed',
      subjectType: 'item',
      subjectId: itemId,
      details: { labels: groups.length, perCopy: opts.perCopy === true },
    }),
  );
  return pdf;
}
