import { LEVEL_TABLE, type Level } from './levels';

// Làm bì (envelopes) for sending secret items — NĐ 26/2020 Đ.4 k.1, kept by NĐ 63/2026 ([I]: the
// ND63 wording was not read in full; the marks below are the ND26 ones):
//   Tuyệt mật: two envelopes. Inner: number and symbol of the item, recipient's name, stamp
//   "TUYỆT MẬT", sealed with the agency's seal on the outside; "Chỉ người có tên mới được bóc bì"
//   when sent to a named responsible person. Outer: written like an ordinary letter, stamp "A".
//   Tối mật: one envelope, stamp "B". Mật: one envelope, stamp "C".
// Stamp texts: TT 24/2020/TT-BCA Mẫu 02 (level), Mẫu 03 (A/B/C), Mẫu 07 ("Tài liệu thu hồi",
// "Chỉ người có tên mới được bóc bì"); NĐ 63/2026 now carries the templates, [I] same texts.

export const ENVELOPE_STAMP_TEXT = {
  topSecretLevel: 'TUYỆT MẬT',
  addresseeOnly: 'Chỉ người có tên mới được bóc bì',
  recall: 'Tài liệu thu hồi',
} as const;

export type EnvelopeMarkCode = 'level_letter' | 'level_stamp' | 'addressee_only' | 'recall';

export interface EnvelopeMark {
  code: EnvelopeMarkCode;
  /** The stamp's text exactly as printed. */
  text: string;
}

export interface Envelope {
  /** 'outer' is the envelope the world sees; a one-envelope item has only an 'outer'. */
  layer: 'outer' | 'inner';
  /** Addressed like an ordinary letter: sender and addressee agency (the postal block). */
  ordinaryAddress: boolean;
  /** Number and symbol of the item written on this envelope, or null when it must not appear. */
  numberSymbol: string | null;
  /** Named recipient written on this envelope (null: none written / not known yet). */
  recipientName: string | null;
  /** Stamps on this envelope, in print order. */
  marks: EnvelopeMark[];
  /** Sealed with the agency's seal across the flap (niêm phong). */
  sealed: boolean;
}

export interface EnvelopeInput {
  level: Level;
  /** "Chỉ người có tên mới được bóc bì": only the named person may open it. */
  addresseeOnly: boolean;
  /** "Tài liệu thu hồi": the item must be given back on the stated date. */
  recallRequired: boolean;
  recipientName?: string | null;
  numberSymbol?: string | null;
}

const mark = (code: EnvelopeMarkCode, text: string): EnvelopeMark => ({ code, text });

/**
 * The envelopes of one dispatch, outermost first. Missing name or number come back as null, for
 * the label to leave a blank line; the use case decides whether that is acceptable (an
 * addressee-only item must have a named recipient before it is dispatched).
 */
export function envelopeFor(input: EnvelopeInput): Envelope[] {
  const { level, addresseeOnly, recallRequired } = input;
  const recipientName = input.recipientName?.trim() || null;
  const numberSymbol = input.numberSymbol?.trim() || null;
  const letter = mark('level_letter', LEVEL_TABLE[level].envelopeMark);

  // Marks addressed to whoever may open the envelope that holds the item itself.
  const handlingMarks: EnvelopeMark[] = [];
  if (addresseeOnly) handlingMarks.push(mark('addressee_only', ENVELOPE_STAMP_TEXT.addresseeOnly));
  // [I] "Tài liệu thu hồi" goes on the envelope that holds the item (the inner one for Tuyệt
  // mật): it tells the person who opens it that the item must come back. The Tuyệt mật outer
  // envelope stays "like an ordinary letter" plus "A" and shows nothing more.
  if (recallRequired) handlingMarks.push(mark('recall', ENVELOPE_STAMP_TEXT.recall));

  if (level === 'TOP_SECRET') {
    return [
      // NĐ 26/2020 Đ.4 k.1: outer written like an ordinary letter, stamp "A". [I] No number or
      // symbol outside: the receiving clerk registers from the inner envelope's marks.
      { layer: 'outer', ordinaryAddress: true, numberSymbol: null, recipientName, marks: [letter], sealed: false },
      {
        layer: 'inner',
        ordinaryAddress: false,
        numberSymbol,
        recipientName,
        marks: [mark('level_stamp', ENVELOPE_STAMP_TEXT.topSecretLevel), ...handlingMarks],
        sealed: true,
      },
    ];
  }

  // Tối mật / Mật: one envelope, "B" / "C" (NĐ 26/2020 Đ.4 k.1). The decree names the addressee-
  // only stamp only for the Tuyệt mật inner envelope; [I] for one-envelope items KhoMật puts it on
  // that single envelope, the only place it can go, and with it the number and symbol, so that the
  // receiving clerk can register the item "theo ký hiệu ngoài bì" without opening it (NĐ 26/2020
  // Đ.4 k.2). [I] The number and symbol are printed on every single envelope, addressee-only or
  // not, as on the Tuyệt mật inner envelope. [I] Sealed: the sealing principle of transport (Luật
  // 29/2018 Đ.13 k.3, [I] kept in Luật 117/2025 Đ.13) applies to every level.
  return [{ layer: 'outer', ordinaryAddress: true, numberSymbol, recipientName, marks: [letter, ...handlingMarks], sealed: true }];
}

/**
 * The copy numbers of one sending, as written in the outgoing register and on the envelope:
 * "Bản số 2/4" for one copy, "Bản số 2, 3/4" for the copies 2 and 3 of 4 (TT 24/2020 Mẫu 08, the
 * quantity-management stamp "Bản số …/…"; [I] several numbers of one set written in one mark).
 */
export function copyNumbersLabel(seqNos: readonly number[], total: number): string {
  const sorted = [...seqNos].sort((a, b) => a - b);
  return `Bản số ${sorted.join(', ')}/${total}`;
}
