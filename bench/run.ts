import os from 'node:os';
import { benchAttachments } from './attachments.bench';
import { benchAudit } from './audit.bench';
import { benchBlobStore } from './blobstore.bench';
import { benchCopyStamp } from './copy-stamp.bench';
import { benchRegistry } from './registry.bench';
import { benchRequests } from './requests.bench';
import { benchWeb } from './web.bench';

// `npm run bench` (or `npx tsx bench/run.ts [name…]`): runs each bench module in turn and prints
// its figures. Every bench reports KhoMật's figure beside the raw limit it measured itself in the
// same run, because only those ratios carry over between machines (PERFORMANCE.md).

type Figures = Record<string, number | string>;

interface BenchModule {
  /** Short name, also the command-line filter. */
  name: string;
  run: () => Promise<Figures>;
}

// Add a bench here: import its function above and append an entry.
const benches: BenchModule[] = [
  { name: 'blobstore', run: benchBlobStore },
  { name: 'attachments', run: benchAttachments },
  { name: 'audit', run: benchAudit },
  { name: 'registry', run: benchRegistry },
  { name: 'web', run: benchWeb },
  { name: 'copy-stamp', run: benchCopyStamp },
  { name: 'requests', run: benchRequests },
];

function formatValue(v: number | string): string {
  return typeof v === 'number' ? v.toLocaleString('en-US') : v;
}

function printTable(title: string, figures: Figures, seconds: number): void {
  const rows = Object.entries(figures).map(([k, v]) => [k, formatValue(v)] as const);
  const kw = Math.max(6, ...rows.map(([k]) => k.length));
  const vw = Math.max(5, ...rows.map(([, v]) => v.length));
  const line = `+-${'-'.repeat(kw)}-+-${'-'.repeat(vw)}-+`;
  console.log(`\n${title} (${seconds.toFixed(1)} s)`);
  console.log(line);
  console.log(`| ${'figure'.padEnd(kw)} | ${'value'.padStart(vw)} |`);
  console.log(line);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(kw)} | ${v.padStart(vw)} |`);
  console.log(line);
}

const wanted = process.argv.slice(2);
const selected = wanted.length === 0 ? benches : benches.filter((b) => wanted.includes(b.name));
if (selected.length === 0) {
  console.error(`No bench named ${wanted.join(', ')}. Known: ${benches.map((b) => b.name).join(', ')}.`);
  process.exit(2);
}

const cpus = os.cpus();
console.log(`KhoMật benchmarks — Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}`);
console.log('Throughput figures are medians of 3 runs in this process; RSS figures are single runs.');
console.log('Compare ratios, not absolute numbers, between machines.');

let failed = false;
for (const b of selected) {
  const t0 = performance.now();
  try {
    printTable(b.name, await b.run(), (performance.now() - t0) / 1000);
  } catch (e) {
    failed = true;
    console.error(`\n${b.name}: FAILED — ${(e as Error).stack ?? String(e)}`);
  }
}
process.exitCode = failed ? 1 : 0;
