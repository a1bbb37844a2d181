// The four legal registers (NĐ 26/2020; Thông tư 24/2020/TT-BCA). Kept apart from forms.ts,
// which builds zod schemas at load time: the web UI needs the list, not the validators.
export const REGISTERS = ['outgoing', 'incoming', 'transfer', 'copy'] as const;
export type RegisterKind = (typeof REGISTERS)[number];
