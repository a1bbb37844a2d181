import { foldForSearch, isCivilDate, LEVELS, LEVEL_TABLE, type Level } from '@khomat/policy';

// Parsing and checking an imported danh mục BMNN (Luật 117/2025 Đ.5: nothing may be classified
// outside the catalogue). Pure: rows in, rows or line-numbered problems out.

export interface CatalogRowInput {
  decisionNumber: string;
  decisionDate: string;
  field: string;
  article: string;
  clause: string | null;
  point: string | null;
  description: string;
  level: Level;
  /** Shorter protection period in whole years, when the catalogue sets one. */
  shorterPeriodYears: number | null;
}

export interface CatalogProblem {
  line: number;
  column?: string;
  message: string;
}

/** Header names accepted in a CSV: our keys, and the Vietnamese headings a clerk would type. */
const HEADER_ALIASES: Record<string, keyof CatalogRowInput> = {
  decisionnumber: 'decisionNumber',
  'so quyet dinh': 'decisionNumber',
  decisiondate: 'decisionDate',
  'ngay quyet dinh': 'decisionDate',
  field: 'field',
  'linh vuc': 'field',
  article: 'article',
  dieu: 'article',
  clause: 'clause',
  khoan: 'clause',
  point: 'point',
  diem: 'point',
  description: 'description',
  'noi dung': 'description',
  'noi dung bi mat nha nuoc': 'description',
  level: 'level',
  'do mat': 'level',
  shorterperiodyears: 'shorterPeriodYears',
  'thoi han bao ve (nam)': 'shorterPeriodYears',
  'thoi han bao ve': 'shorterPeriodYears',
};

export function headerKey(h: string): keyof CatalogRowInput | undefined {
  const k = foldForSearch(h).replace(/[_*]/g, ' ').trim();
  return HEADER_ALIASES[k] ?? HEADER_ALIASES[k.replace(/\s+/g, '')];
}

const LEVEL_BY_TEXT: Record<string, Level> = {
  'tuyet mat': 'TOP_SECRET',
  'toi mat': 'SECRET',
  mat: 'CONFIDENTIAL',
  top_secret: 'TOP_SECRET',
  secret: 'SECRET',
  confidential: 'CONFIDENTIAL',
};

export function parseLevel(s: unknown): Level | undefined {
  if (typeof s !== 'string') return undefined;
  if ((LEVELS as readonly string[]).includes(s.trim())) return s.trim() as Level;
  return LEVEL_BY_TEXT[foldForSearch(s)];
}

/** 'YYYY-MM-DD' or the Vietnamese 'dd/mm/yyyy'. */
export function parseDate(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  if (isCivilDate(t)) return t;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isCivilDate(iso) ? iso : undefined;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** Checks one raw record (string values by our keys); returns the row or its problems. */
export function checkCatalogRecord(raw: Partial<Record<keyof CatalogRowInput, unknown>>, line: number): { row?: CatalogRowInput; problems: CatalogProblem[] } {
  const problems: CatalogProblem[] = [];
  const need = (key: keyof CatalogRowInput, label: string, max: number) => {
    const v = text(raw[key]);
    if (!v) problems.push({ line, column: key, message: `Thiếu ${label}.` });
    else if (v.length > max) problems.push({ line, column: key, message: `${label} dài quá ${max} ký tự.` });
    return v;
  };
  const decisionNumber = need('decisionNumber', 'số quyết định', 100);
  const field = need('field', 'lĩnh vực', 200);
  const article = need('article', 'điều', 20);
  const description = need('description', 'nội dung', 2000);
  const decisionDate = parseDate(raw.decisionDate);
  if (!decisionDate) problems.push({ line, column: 'decisionDate', message: 'Ngày quyết định không hợp lệ (dùng dd/mm/yyyy hoặc yyyy-mm-dd).' });
  const level = parseLevel(raw.level);
  if (!level) problems.push({ line, column: 'level', message: 'Độ mật phải là "Tuyệt mật", "Tối mật" hoặc "Mật".' });
  let shorter: number | null = null;
  const sp = text(raw.shorterPeriodYears);
  if (sp) {
    const n = Number(sp);
    if (!Number.isInteger(n) || n < 1) problems.push({ line, column: 'shorterPeriodYears', message: 'Thời hạn bảo vệ phải là số năm nguyên dương.' });
    else if (level && n >= LEVEL_TABLE[level].protectionYears) {
      problems.push({
        line,
        column: 'shorterPeriodYears',
        message: `Thời hạn riêng phải ngắn hơn ${LEVEL_TABLE[level].protectionYears} năm của độ ${LEVEL_TABLE[level].labelVi}.`,
      });
    } else shorter = n;
  }
  const opt = (key: 'clause' | 'point') => text(raw[key]) || null;
  if (problems.length) return { problems };
  return {
    row: {
      decisionNumber,
      decisionDate: decisionDate!,
      field,
      article,
      clause: opt('clause'),
      point: opt('point'),
      description,
      level: level!,
      shorterPeriodYears: shorter,
    },
    problems,
  };
}

/** Identity of a catalogue entry: the same decision, article, clause, point and text. */
export function catalogKey(r: Pick<CatalogRowInput, 'decisionNumber' | 'article' | 'clause' | 'point' | 'description'>): string {
  return [r.decisionNumber, r.article, r.clause ?? '', r.point ?? '', foldForSearch(r.description)].join('|');
}

export function catalogSearchText(r: CatalogRowInput): string {
  return foldForSearch(
    [r.decisionNumber, r.field, `dieu ${r.article}`, r.clause ? `khoan ${r.clause}` : '', r.point ? `diem ${r.point}` : '', r.description].join(' '),
  );
}

/** "Điều 5, khoản 2, điểm a — QĐ 19/QĐ-TTg" as printed on a proposal. */
export function catalogReference(r: { article: string; clause: string | null; point: string | null; decisionNumber: string }): string {
  return [`Điều ${r.article}`, r.clause ? `khoản ${r.clause}` : '', r.point ? `điểm ${r.point}` : ''].filter(Boolean).join(', ') + ` — ${r.decisionNumber}`;
}
