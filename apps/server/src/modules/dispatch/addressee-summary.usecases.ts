import { foldForSearch, type Level } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { SecretItemRow } from '../../platform/db/schema';
import { loadItem } from '../items/item-steps';
import { isAgencyUnit } from '../org/org.repository';
import { registerErrors } from '../registers/registers.errors';
import { registerYearState, type RegisterKind } from '../registers/registers.repository';
import { reindexRegisterEntry } from '../search/search.index';
import { dispatchError } from './dispatch.errors';
import * as repo from './dispatch.repository';
import { checkSummary, type SummaryAction, type SummaryFacts } from './dispatch.rules';

// The summary (trích yếu) of an addressee-only envelope ("Chỉ người có tên mới được bóc bì"): the
// clerk registered it from the outer marks, without one. Once the named person has signed for it
// and opened it, they complete the summary, or agree in KhoMật that the văn thư writes it. The
// audit carries ids and the route taken, never the text.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock'>;
type Tx = AppDeps['dbh']['db'];

async function factsOf(tx: Tx, actor: Actor, item: SecretItemRow): Promise<SummaryFacts> {
  const named = item.named_addressee_id;
  return {
    actor: {
      id: actor.userId,
      roles: actor.roles,
      clearance: actor.clearance,
      unitId: actor.unitId,
      isAgencyClerk: actor.roles.includes('clerk') && (await isAgencyUnit(tx, actor.unitId)),
    },
    item: {
      addresseeOnly: item.addressee_only === 1,
      namedAddresseeId: named,
      level: (item.level ?? 'TOP_SECRET') as Level,
      unitId: item.unit_id,
      hasSummary: item.summary !== null,
      agreed: item.summary_agreed_by !== null,
    },
    openedByAddressee: named !== null && (await repo.hasSignedFor(tx, item.id, named)),
  };
}

async function checked(tx: Tx, actor: Actor, itemId: string, action: SummaryAction) {
  const item = await loadItem(tx, itemId);
  const r = checkSummary(action, await factsOf(tx, actor, item));
  if (!r.ok) throw dispatchError(r.code);
  return { item, via: r.via };
}

/** The named person records that the văn thư of the item's unit may write the summary for them. */
export async function agreeToClerkSummary(deps: Deps, actor: Actor | null, itemId: string) {
  requirePermission(actor, 'custody.mine');
  return deps.dbh.db.transaction().execute(async (tx) => {
    await checked(tx, actor, itemId, 'agree');
    const now = deps.clock.now().toISOString();
    await repo.recordSummaryAgreement(tx, itemId, actor.userId, now);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'item.summary_agreed', subjectType: 'item', subjectId: itemId, details: {} });
    return { agreedAt: now };
  });
}

/**
 * Writes the summary into the item and into each of its live register rows (the incoming register
 * then shows it to whoever rowContentAccess lets see it), and re-indexes those rows for search.
 * A row in a locked register year is not rewritten: the whole change is refused.
 */
export async function completeSummary(deps: Deps, actor: Actor | null, itemId: string, input: { summary: string }) {
  requirePermission(actor, 'custody.mine');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const { item, via } = await checked(tx, actor, itemId, 'complete');
    const entries = await repo.findLiveEntriesOfItem(tx, itemId);
    for (const e of entries) {
      if ((await registerYearState(tx, e.register as RegisterKind, e.year)).locked) throw registerErrors.yearLocked({ register: e.register, year: e.year });
    }
    const now = deps.clock.now().toISOString();
    // The item's search text gains the summary's words (it held the metadata and who received it).
    await repo.writeItemSummary(tx, itemId, input.summary, `${item.search_text} ${foldForSearch(input.summary)}`.trim(), now);
    for (const e of entries) {
      await repo.setEntrySummary(tx, e.id, input.summary);
      await reindexRegisterEntry(tx, e, { ...e, summary: input.summary });
    }
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'item.summary_completed',
      subjectType: 'item',
      subjectId: itemId,
      details: { via, agreedBy: via === 'clerk_with_agreement' ? item.summary_agreed_by : null, registerEntries: entries.map((e) => e.id) },
    });
    return { via, registerEntries: entries.length };
  });
}

/**
 * What this viewer may do about the summary now (the item page offers the buttons only then): each
 * action's decision by the same rule the writes use, and whether the named person agreed.
 */
export async function summaryOptions(deps: Pick<Deps, 'dbh'>, actor: Actor | null, itemId: string) {
  requirePermission(actor, 'custody.mine');
  const db = deps.dbh.db;
  const item = await loadItem(db, itemId);
  const facts = await factsOf(db, actor, item);
  const decide = (action: SummaryAction) => {
    const r = checkSummary(action, facts);
    return r.ok ? { allowed: true, via: r.via, refusal: null } : { allowed: false, via: null, refusal: r.code };
  };
  return { agree: decide('agree'), complete: decide('complete'), agreed: facts.item.agreed };
}
