import os from 'node:os';
import { ParseSpeeds, PDFDocument, StandardFonts } from 'pdf-lib';
import { newCopyVerificationId, type CopyDescription } from '../apps/server/src/modules/copying/copy-pdf';
import { produceCopies } from '../apps/server/src/modules/copying/copy-pdf-runner';
import { sampleOriginal } from '../apps/server/src/modules/copying/sample-original';

// Copy production (issue 13, Performance): a 100-page text original stamped and trace-marked into
// 20 numbered copies through the worker (one job = one worker thread = one core), beside pdf-lib's
// bare stamping rate on the same pages in the same run (load, one text line per page, save) — the
// machine's limit for "parse, touch every page, write". Target: ≥ 200 pages/s.

const PAGES = Number(process.env.KHOMAT_BENCH_COPY_PAGES ?? 100);
const COPIES = Number(process.env.KHOMAT_BENCH_COPIES ?? 20);
const RUNS = 3;
const MiB = 1024 * 1024;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const loadavg = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

function descriptions(): CopyDescription[] {
  return Array.from({ length: COPIES }, (_, i) => ({
    level: 'SECRET',
    copyNumber: i + 1,
    total: COPIES,
    form: 'SAO_Y',
    date: '2026-12-05',
    quantity: COPIES,
    recipients: ['Phòng Tham mưu tổng hợp', 'Phòng Hành chính – Tổng hợp', 'Đồng chí Nguyễn Văn Hùng, Phó Giám đốc'],
    authoriser: { name: 'Trần Thị Thu Hà', position: 'Giám đốc' },
    holder: { name: `Nguyễn Thị Bích Ngọc ${i + 1}`, unit: 'Phòng Tham mưu tổng hợp' },
    verificationId: newCopyVerificationId(),
  }));
}

/** pdf-lib alone: each copy parsed from the original, one line of text on every page, saved. */
async function bareSeconds(original: Uint8Array): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < COPIES; i++) {
    const doc = await PDFDocument.load(original, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (const page of doc.getPages()) page.drawText(`Copy ${i + 1}`, { x: 20, y: 20, size: 8, font });
    await doc.save({ useObjectStreams: false });
  }
  return (performance.now() - t0) / 1000;
}

export async function benchCopyStamp(): Promise<Record<string, number | string>> {
  const loadBefore = loadavg();
  const original = await sampleOriginal(Array.from({ length: PAGES }, () => 'portrait'));
  // The first job pays the worker's start (tsx, pdf-lib, fonts); it is not what is measured.
  await produceCopies(original, descriptions().slice(0, 1));

  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const stamp: number[] = [];
  let outBytes = 0;
  try {
    for (let r = 0; r < RUNS; r++) {
      const ds = descriptions();
      const t0 = performance.now();
      const copies = await produceCopies(original, ds);
      stamp.push((performance.now() - t0) / 1000);
      outBytes = copies.reduce((s, c) => s + c.byteLength, 0);
    }
  } finally {
    clearInterval(timer);
  }
  const bare: number[] = [];
  for (let r = 0; r < RUNS; r++) bare.push(await bareSeconds(original));

  const pages = PAGES * COPIES;
  const stampRate = pages / median(stamp);
  const bareRate = pages / median(bare);
  return {
    'original pages × copies': `${PAGES} × ${COPIES}`,
    'original size (KiB)': Math.round(original.byteLength / 1024),
    'copies, total size (KiB)': Math.round(outBytes / 1024),
    'copy stamp + trace mark, through the worker (pages/s, target ≥ 200)': Math.round(stampRate),
    'copy stamp, seconds for all copies (median)': Number(median(stamp).toFixed(2)),
    'pdf-lib bare stamping, same pages (pages/s, limit)': Math.round(bareRate),
    'ratio copy stamp / bare stamping': Number((stampRate / bareRate).toFixed(2)),
    'verdict (≥ 200 pages/s)': stampRate >= 200 ? 'met' : 'MISSED',
    'RSS baseline | peak while copying (MiB, process incl. worker)': `${Math.round(baseline / MiB)} | ${Math.round(peak / MiB)}`,
    'load average 1 / 5 / 15 min, at start | at end (2 cores shared)': `${loadBefore} | ${loadavg()}`,
  };
}
