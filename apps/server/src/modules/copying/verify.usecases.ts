import type { Readable } from 'node:stream';
import type { Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import { commonErrors, isDomainError, type DomainError } from '../../platform/errors';
import { summaryShown } from '../items/items.rules';
import { rowAccessFor } from '../items/row-access';
import { isActorAgencyHead } from '../org/org.repository';
import { readTraceMarkInWorker } from './copy-pdf-runner';
import { copyingErrors } from './copying.errors';
import * as repo from './copying.repository';
import { mayTraceCopies, normaliseVerificationId } from './verify.rules';

// Verifying a copy (issue 13 point 4): from the id on a printed page — typed, from the /verify/<id>
// address, or read from a photo or scan of the page — the security officer and the agency head
// learn the item, the copy and its holder: the tool for tracing a leaked page.
//
// Everyone else learns nothing, not even whether the id exists: they get the answer an unknown id
// gets (copy.verification_not_found, same status and body), after the same work — the look-up
// runs, and the event is written, before anyone's answer is chosen. Every look-up is audited,
// refusals included.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock'>;

/** Largest photo or scan accepted (a 12-megapixel phone JPEG is 3–6 MB; trace-reader.ts bounds the pixels). */
export const MAX_TRACE_IMAGE_BYTES = 20 * 1024 * 1024;

export interface CopyTrace {
  verificationId: string;
  item: {
    id: string;
    numberSymbol: string | null;
    documentDate: string | null;
    docType: string;
    level: string | null;
    summary: string | null;
    summaryHidden: boolean;
  };
  copy: { id: string; number: number; total: number; label: string; status: string };
  /** Who holds the copy: a person (with their unit), a unit, or an outside body (its name). */
  holder: { kind: string; name: string | null; unitName: string | null };
}

type ImageProblem = 'too_large' | 'unreadable' | 'no_mark';

interface Ask {
  via: 'id' | 'image';
  /** The well-formed id, or null (malformed, or no mark read from the image). */
  id: string | null;
  /** What was asked when it is not a well-formed id (kept short in the audit). */
  raw?: string;
  imageProblem?: ImageProblem;
}

const PROBLEM_ERRORS: Record<ImageProblem, () => DomainError> = {
  too_large: () => copyingErrors.imageTooLarge(),
  unreadable: () => copyingErrors.imageUnreadable(),
  no_mark: () => copyingErrors.traceNotFound(),
};

async function trace(deps: Deps, actor: Actor, ask: Ask): Promise<CopyTrace> {
  const outcome = await deps.dbh.db.transaction().execute(async (tx) => {
    const allowed = mayTraceCopies({ roles: actor.roles, isAgencyHead: await isActorAgencyHead(tx, actor) });
    // The look-up runs whoever asks and whatever was asked (a malformed id looks up '', which no
    // copy carries): a refused viewer's answer takes the same path as an unknown id's.
    const found = await repo.findCopyByVerificationId(tx, ask.id ?? '');
    await deps.audit.append(tx, {
      actorId: actor.userId,
      // Refusals under their own action, like every audited refusal (…_refused).
      action: allowed ? 'copy.verification_looked_up' : 'copy.verification_refused',
      subjectType: 'copy',
      ...(allowed && found ? { subjectId: found.copyId } : {}),
      details: {
        readFrom: ask.via,
        // The id is not secret content: it only points at a copy, and only these two may follow it.
        verificationId: ask.id ?? (ask.raw !== undefined ? ask.raw.slice(0, 64) : null),
        wellFormed: ask.id !== null,
        refused: !allowed,
        // Whether the id exists is written only for those allowed to learn it: the inspector reads
        // the audit log and must not learn it from their own refused look-up.
        ...(allowed ? { found: !!found } : {}),
        ...(ask.imageProblem ? { imageProblem: ask.imageProblem } : {}),
      },
    });
    if (!allowed || !found) return { allowed, found: undefined };
    // The summary follows the one content decision, as on every other screen.
    const [access] = await rowAccessFor(tx, deps, actor, [{ itemId: found.itemId, level: found.level ?? '' }]);
    return { allowed, found, shown: summaryShown({ summary: found.summary, level: found.level ?? '' }, access!) };
  });
  // Committed first (the refusal stays audited), then answered.
  if (!outcome.allowed) throw copyingErrors.verificationNotFound();
  if (ask.imageProblem) throw PROBLEM_ERRORS[ask.imageProblem]();
  const f = outcome.found;
  if (!f || !ask.id) throw copyingErrors.verificationNotFound();
  const shown = outcome.shown!;
  return {
    verificationId: ask.id,
    item: {
      id: f.itemId,
      numberSymbol: f.numberSymbol,
      documentDate: f.documentDate,
      docType: f.docType,
      level: f.level,
      summary: shown.summary,
      summaryHidden: shown.hidden,
    },
    copy: { id: f.copyId, number: f.seqNo, total: f.total, label: f.label, status: f.status },
    holder: {
      kind: f.holderKind,
      name: f.holderKind === 'user' ? f.holderUserName : f.holderKind === 'unit' ? f.holderUnitName : f.holderOutside,
      unitName: f.holderKind === 'user' ? f.holderUserUnitName : f.holderKind === 'unit' ? f.holderUnitName : null,
    },
  };
}

/** The copy a verification id names, typed or taken from the /verify/<id> address. */
export async function lookUpCopy(deps: Deps, actor: Actor | null, verificationId: string): Promise<CopyTrace> {
  if (!actor) throw commonErrors.unauthenticated();
  const id = normaliseVerificationId(verificationId);
  return trace(deps, actor, id ? { via: 'id', id } : { via: 'id', id: null, raw: verificationId });
}

export type TraceImage = { kind: 'stream'; stream: Readable } | { kind: 'bytes'; bytes: Uint8Array } | { kind: 'none' };

/** The image's bytes in memory (never on disk), or why there are none. */
async function readImage(image: TraceImage): Promise<Uint8Array | ImageProblem> {
  if (image.kind === 'none') return 'unreadable';
  if (image.kind === 'bytes') return image.bytes.byteLength > MAX_TRACE_IMAGE_BYTES ? 'too_large' : image.bytes;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of image.stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += b.byteLength;
    // Stop reading at the limit; leaving the loop destroys the stream.
    if (size > MAX_TRACE_IMAGE_BYTES) return 'too_large';
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/**
 * The copy named by the trace mark on a photo or scan of a printed page (JPEG or PNG). To those
 * who may trace copies an image without a readable mark is a clear error; to anyone else every
 * image gets the unknown id's answer, whether it held a mark or not.
 */
export async function lookUpCopyFromImage(deps: Deps, actor: Actor | null, image: TraceImage): Promise<CopyTrace> {
  if (!actor) throw commonErrors.unauthenticated();
  const bytes = await readImage(image);
  if (typeof bytes === 'string') return trace(deps, actor, { via: 'image', id: null, imageProblem: bytes });
  let id: string | null = null;
  let problem: ImageProblem | undefined;
  try {
    // Decoding and the QR search run in a worker thread, off the request thread.
    id = normaliseVerificationId(await readTraceMarkInWorker(bytes));
    if (!id) problem = 'no_mark';
  } catch (e) {
    if (!isDomainError(e)) throw e;
    problem = e.code === copyingErrors.traceNotFound().code ? 'no_mark' : 'unreadable';
  }
  return trace(deps, actor, problem ? { via: 'image', id: null, imageProblem: problem } : { via: 'image', id });
}
