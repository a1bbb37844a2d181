// Dates are shown in Vietnam time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), dd/MM/yyyy.
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const VN_OFFSET = '+07:00';

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(iso: string): Record<string, string> | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const out: Record<string, string> = {};
  for (const p of dateTimeFormat.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** dd/MM/yyyy HH:mm:ss in Vietnam time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const p = parts(iso);
  if (!p) return iso;
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

/** dd/MM/yyyy in Vietnam time. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const p = parts(iso);
  if (!p) return iso;
  return `${p.day}/${p.month}/${p.year}`;
}

/** The first instant of a calendar day (YYYY-MM-DD) in Vietnam, as an ISO UTC string. */
export function startOfVnDay(ymd: string): string {
  return new Date(`${ymd}T00:00:00.000${VN_OFFSET}`).toISOString();
}

/** The last millisecond of a calendar day (YYYY-MM-DD) in Vietnam, as an ISO UTC string. */
export function endOfVnDay(ymd: string): string {
  return new Date(`${ymd}T23:59:59.999${VN_OFFSET}`).toISOString();
}

/** A civil date of the API (YYYY-MM-DD, no time zone) as dd/MM/yyyy; anything else unchanged. */
export function formatCivilDate(ymd: string | null | undefined): string {
  if (!ymd) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : ymd;
}

/** 1.536 → "1,5 KB" in Vietnamese (decimal comma), "1.5 KB" in English; bytes below 1 KB as such. */
export function fileSizeText(bytes: number, lang: 'vi' | 'en'): string {
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: u === 0 || v >= 100 ? 0 : 1 }).format(v);
  return `${n} ${units[u]}`;
}
