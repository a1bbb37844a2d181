import { formatDateTime } from '../../kit/format';
import type { I18n } from '../../kit/i18n';
import type { AuditVerifyResult } from '../../kit/types';

// What the audit screen says after a verification that passed (issue 11): the last signed
// checkpoint with its short anchor code, to be copied into the paper register, and whether the
// anchor file kept beside the keys was compared. Pure, tested in verify.test.ts.

/** A sentence with one piece set apart (the code to copy, the command to type). */
export type Slotted = { before: string; slot: string; after: string };

export interface VerifiedLines {
  head: string | null;
  /** "Điểm kiểm tra số 12, ký lúc 02/03/2026 00:30:05: mã neo ABCD-…", or "no checkpoint yet". */
  checkpoint: Slotted | string;
  /** How the code is used; only with a checkpoint. */
  hint: Slotted | null;
  anchor: string;
}

function slotted(text: string, name: string, slot: string): Slotted {
  const mark = `{${name}}`;
  const at = text.indexOf(mark);
  if (at < 0) return { before: text, slot: '', after: '' };
  return { before: text.slice(0, at), slot, after: text.slice(at + mark.length) };
}

export function verifiedLines(i: Pick<I18n, 't'>, r: AuditVerifyResult): VerifiedLines {
  const cp = r.lastCheckpoint;
  return {
    head: r.headSeq !== undefined ? i.t('audit.verifyOkHead', { seq: r.headSeq }) : null,
    checkpoint: cp ? slotted(i.t('audit.checkpoint', { seq: cp.seq, time: formatDateTime(cp.signedAt) }), 'code', cp.code) : i.t('audit.noCheckpoint'),
    hint: cp ? slotted(i.t('audit.checkpointHint'), 'command', i.t('audit.anchorCommand')) : null,
    anchor: r.anchored == null ? i.t('audit.notAnchored') : r.anchored === 0 ? i.t('audit.anchoredEmpty') : i.t('audit.anchored', { count: r.anchored }),
  };
}

/** The title of a failed verification: with the entry number when the server knows it. */
export function failedTitle(i: Pick<I18n, 't'>, r: AuditVerifyResult): string {
  return r.badSeq != null ? i.t('audit.verifyBad', { seq: r.badSeq }) : i.t('audit.verifyBadNoSeq');
}
