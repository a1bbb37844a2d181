import { describe, expect, it } from 'vitest';
import { vi } from '../../kit/dict.vi';
import type { I18n } from '../../kit/i18n';
import { failedTitle, verifiedLines } from './verify';

const dict: Record<string, string> = vi;
const i = {
  t: (k: string, p?: Record<string, string | number>) => {
    if (!(k in dict)) throw new Error(`missing ${k}`);
    return dict[k]!.replace(/\{(\w+)\}/g, (m, x: string) => (p && x in p ? String(p[x]) : m));
  },
} as unknown as I18n;

const joined = (s: { before: string; slot: string; after: string } | string | null) => (s === null || typeof s === 'string' ? s : s.before + s.slot + s.after);

describe('audit verification in words', () => {
  const ok = { ok: true, count: 120, headSeq: 120, checkpoints: 3 };
  const lastCheckpoint = { seq: 100, signedAt: '2026-03-01T17:30:05.000Z', code: 'ABCD-EFGH-JKLM-NPQR-STUV' };

  it('names the last signed checkpoint in Vietnam time, with its anchor code set apart to copy', () => {
    const l = verifiedLines(i, { ...ok, anchored: 3, lastCheckpoint });
    expect(l.head).toBe('Mục cuối cùng: số 120.');
    expect(l.checkpoint).toEqual({ before: 'Điểm kiểm tra số 100, ký lúc 02/03/2026 00:30:05: mã neo ', slot: 'ABCD-EFGH-JKLM-NPQR-STUV', after: '' });
    expect(joined(l.hint)).toBe('Chép mã neo này vào sổ giấy; lệnh khomat audit verify --anchor <mã> đối chiếu nhật ký với mã đã chép.');
    expect(l.hint?.slot).toBe('khomat audit verify --anchor <mã>');
  });

  it('says whether the anchor file beside the keys was compared', () => {
    expect(verifiedLines(i, { ...ok, anchored: 3, lastCheckpoint }).anchor).toContain('cả 3 điểm kiểm tra ghi trong tệp đều có trong nhật ký');
    expect(verifiedLines(i, { ...ok, anchored: 0, lastCheckpoint }).anchor).toContain('tệp chưa ghi điểm kiểm tra nào');
    expect(verifiedLines(i, { ...ok, anchored: null, lastCheckpoint }).anchor).toBe('Chưa đối chiếu với tệp neo: máy chủ chưa có tệp neo cạnh các khóa.');
    expect(verifiedLines(i, ok).anchor).toBe('Chưa đối chiếu với tệp neo: máy chủ chưa có tệp neo cạnh các khóa.');
  });

  it('says so when no checkpoint is signed yet, with no code and no hint', () => {
    const l = verifiedLines(i, { ...ok, lastCheckpoint: null, anchored: null });
    expect(l.checkpoint).toBe('Nhật ký chưa có điểm kiểm tra nào được ký.');
    expect(l.hint).toBeNull();
  });

  it('gives the broken entry when the server knows it, never "null"', () => {
    expect(failedTitle(i, { ok: false, count: 5, badSeq: 4 })).toBe('Phát hiện nhật ký bị thay đổi tại mục số 4. Báo ngay cho người có thẩm quyền.');
    expect(failedTitle(i, { ok: false, count: 0, badSeq: null })).toBe('Kiểm tra không đạt. Báo ngay cho người có thẩm quyền.');
    expect(failedTitle(i, { ok: false, count: 0 })).toBe('Kiểm tra không đạt. Báo ngay cho người có thẩm quyền.');
  });
});
