import { renderRegisterPdf, type RegisterPdfSpec } from '../apps/server/src/modules/registers/print/register-pdf';

// Forked by registry.bench.ts: renders a 10,000-row register to PDF in a process of its own, so
// the peak RSS is the printing's, not the generated database's held by the parent.

export interface PdfResult {
  ms: number;
  bytes: number;
  baselineMiB: number;
  peakMiB: number;
}

const ROWS = Number(process.env.KHOMAT_BENCH_PDF_ROWS ?? 10_000);
const MiB = 1024 * 1024;

const spec: RegisterPdfSpec = {
  title: 'SỔ ĐĂNG KÝ BÍ MẬT NHÀ NƯỚC ĐẾN',
  legalBasis: 'Nghị định 26/2020/NĐ-CP',
  formCode: 'BM-DEN',
  year: 2026,
  columns: [
    { headerVi: 'Số đến', widthMm: 16, align: 'center' },
    { headerVi: 'Ngày đến', widthMm: 20, align: 'center' },
    { headerVi: 'Tác giả', widthMm: 40, align: 'left' },
    { headerVi: 'Số, ký hiệu', widthMm: 30, align: 'left' },
    { headerVi: 'Ngày', widthMm: 20, align: 'center' },
    { headerVi: 'Trích yếu nội dung', widthMm: 80, align: 'left' },
    { headerVi: 'Độ mật', widthMm: 18, align: 'center' },
    { headerVi: 'Đơn vị nhận', widthMm: 35, align: 'left' },
  ],
  cover: { superiorBody: 'UBND tỉnh Thử nghiệm', agencyName: 'Sở Ngoại vụ', lines: ['Năm: 2026', `Từ số 1 đến số ${ROWS}`], footnotes: ['In ngày 25/11/2026'] },
  emptyText: 'Không có mục nào.',
};

function* pages(): Generator<string[][]> {
  for (let i = 0; i < ROWS; i += 500) {
    const rows: string[][] = [];
    for (let n = i + 1; n <= Math.min(ROWS, i + 500); n++) {
      rows.push([
        String(n),
        '02/03/2026',
        'Bộ Ngoại giao',
        `${n}/BNG-LS`,
        '27/02/2026',
        `Về việc đón đoàn đại biểu cấp cao số ${n} và kế hoạch phối hợp bảo đảm an ninh`,
        n % 10 === 0 ? 'Tuyệt mật' : 'Mật',
        'Phòng Lãnh sự',
      ]);
    }
    yield rows;
  }
}

async function main(): Promise<void> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const pdf = await renderRegisterPdf(spec, pages());
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  const r: PdfResult = { ms, bytes: pdf.byteLength, baselineMiB: baseline / MiB, peakMiB: peak / MiB };
  process.send?.(r);
}

await main();
