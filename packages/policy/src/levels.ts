// Độ mật — Luật 117/2025/QH15 Đ.8 (Tuyệt mật, Tối mật, Mật); thời hạn bảo vệ Đ.19.
export const LEVELS = ['CONFIDENTIAL', 'SECRET', 'TOP_SECRET'] as const;
export type Level = (typeof LEVELS)[number];

/** A user's clearance: a level, or none. */
export const CLEARANCES = ['NONE', ...LEVELS] as const;
export type Clearance = (typeof CLEARANCES)[number];

export interface LevelDefinition {
  level: Level;
  rank: number;
  labelVi: string;
  labelEn: string;
  /** Base protection period in years, counted from the classification date. */
  protectionYears: number;
  /** Mark on the (outer) envelope: A / B / C. */
  envelopeMark: 'A' | 'B' | 'C';
}

export const LEVEL_TABLE: Record<Level, LevelDefinition> = {
  TOP_SECRET: { level: 'TOP_SECRET', rank: 3, labelVi: 'Tuyệt mật', labelEn: 'Top secret', protectionYears: 30, envelopeMark: 'A' },
  SECRET: { level: 'SECRET', rank: 2, labelVi: 'Tối mật', labelEn: 'Secret', protectionYears: 20, envelopeMark: 'B' },
  CONFIDENTIAL: { level: 'CONFIDENTIAL', rank: 1, labelVi: 'Mật', labelEn: 'Confidential', protectionYears: 10, envelopeMark: 'C' },
};

export const CLEARANCE_LABEL_VI: Record<Clearance, string> = {
  NONE: 'Không',
  CONFIDENTIAL: 'Mật',
  SECRET: 'Tối mật',
  TOP_SECRET: 'Tuyệt mật',
};

export function clearanceRank(c: Clearance): number {
  return c === 'NONE' ? 0 : LEVEL_TABLE[c].rank;
}

/** True when a holder of clearance `c` may see an item of level `level` (clearance ≥ level). */
export function clearanceCovers(c: Clearance, level: Level): boolean {
  return clearanceRank(c) >= LEVEL_TABLE[level].rank;
}
