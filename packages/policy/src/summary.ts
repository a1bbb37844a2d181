// What a register row, a search hit or a printed register shows in place of the summary (trích
// yếu) when it shows none. Two different facts, never confused (DESIGN.md principle 2):
// - the clerk wrote no summary (Tuyệt mật, NĐ 63/2026; a sealed addressee-only envelope);
// - a summary exists but this viewer may not read it (clearance or need-to-know).
// Printing the first for the second would tell the viewer something false, and the second for
// the first would hide that the register is complete.

/** A summary exists, and the one content decision (items.rules rowContentAccess) hides it from this viewer. */
export const SUMMARY_HIDDEN_VI = '(trích yếu không hiển thị với người xem này)';
/** The clerk wrote no summary (Tuyệt mật rows keep their own "no summary" rule). */
export const SUMMARY_NONE_VI = '(không ghi trích yếu)';
