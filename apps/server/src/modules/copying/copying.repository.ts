import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/db/dialect';
import type { Database } from '../../platform/db/schema';
import { copyingErrors } from './copying.errors';

// Queries of the copying capability (CONVENTIONS.md habit 6): the verify page's look-up of a copy
// by the id its trace mark carries, and the recording of that id on a copy.

type Db = Kysely<Database>;

export interface TracedCopy {
  copyId: string;
  seqNo: number;
  total: number;
  label: string;
  status: string;
  holderKind: string;
  holderUserId: string | null;
  holderUserName: string | null;
  /** The unit of a person who holds the copy. */
  holderUserUnitName: string | null;
  holderUnitId: string | null;
  holderUnitName: string | null;
  holderOutside: string | null;
  itemId: string;
  numberSymbol: string | null;
  documentDate: string | null;
  docType: string;
  level: string | null;
  summary: string | null;
}

/**
 * The copy whose trace mark carries `verificationId`, with its item and holder, in one query
 * (served by copies_verification_uq): the same work whether the id exists or not.
 */
export async function findCopyByVerificationId(db: Db, verificationId: string): Promise<TracedCopy | undefined> {
  return db
    .selectFrom('copies as c')
    .innerJoin('secret_items as i', 'i.id', 'c.item_id')
    .leftJoin('users as hu', 'hu.id', 'c.holder_user_id')
    .leftJoin('units as hn', 'hn.id', 'c.holder_unit_id')
    .leftJoin('units as hun', 'hun.id', 'hu.unit_id')
    .select([
      'c.id as copyId',
      'c.seq_no as seqNo',
      'c.total as total',
      'c.label as label',
      'c.status as status',
      'c.holder_kind as holderKind',
      'c.holder_user_id as holderUserId',
      'hu.full_name as holderUserName',
      'hun.name as holderUserUnitName',
      'c.holder_unit_id as holderUnitId',
      'hn.name as holderUnitName',
      'c.holder_outside as holderOutside',
      'i.id as itemId',
      'i.number_symbol as numberSymbol',
      'i.document_date as documentDate',
      'i.doc_type as docType',
      'i.level as level',
      'i.summary as summary',
    ])
    .where('c.verification_id', '=', verificationId)
    .executeTakeFirst();
}

/**
 * Records the verification id printed on a copy (the copy execution flow, and tests until it
 * exists). An id already on another copy is refused: a printed page must name one copy.
 */
export async function recordCopyVerificationId(db: Db, copyId: string, verificationId: string): Promise<void> {
  try {
    const r = await db
      .updateTable('copies')
      .set({ verification_id: verificationId })
      .where('id', '=', copyId)
      .where('verification_id', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw copyingErrors.verificationIdNotRecorded();
  } catch (e) {
    if (isUniqueViolation(e)) throw copyingErrors.verificationIdNotRecorded();
    throw e;
  }
}
