import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { vi } from '../../../../web/src/kit/dict.vi';

// The audit screen speaks Vietnamese (issue 12 point 11): every action the server or the CLI can
// write to the trail, every top-level detail key and every subject type has its name in the web's
// dictionary (dict.en.ts is typed to hold every key of dict.vi.ts). The source is read the way a
// reviewer greps it, so an action added without a name fails here, not on an inspector's screen.

const ROOT = path.resolve(import.meta.dirname, '../../../../..');
const SOURCES = ['apps/server/src', 'apps/cli/src'];

function sourceFiles(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push({ file: path.relative(ROOT, p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  for (const s of SOURCES) walk(path.join(ROOT, s));
  return out;
}

/** The text between the brace at `open` and its match. */
function braced(text: string, open: number): string {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return text.slice(open + 1, j);
  }
  return text.slice(open + 1);
}

/** The top-level keys of an object literal's body (`a: 1, b, ...c` → a, b). */
function topLevelKeys(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if ('{[('.includes(ch)) depth++;
    else if ('}])'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('...'))
    .map((p) => /^(\w+)\s*[:,]?/.exec(p)?.[1])
    .filter((k): k is string => !!k);
}

/** What the server writes: actions (literals on a line naming `action`), detail keys, subject types. */
function written() {
  const actions = new Map<string, string>();
  const details = new Map<string, string>();
  const subjects = new Map<string, string>();
  for (const { file, text } of sourceFiles()) {
    text.split('\n').forEach((line, n) => {
      if (!/\baction\b/.test(line)) return;
      for (const m of line.matchAll(/'([a-z]+\.[a-z_.]+)'/g)) actions.set(m[1]!, `${file}:${n + 1}`);
    });
    if (!text.includes('audit.append')) continue;
    for (const m of text.matchAll(/\bdetails: \{/g)) {
      const body = braced(text, m.index + m[0].length - 1).replace(/\/\/.*$/gm, '');
      for (const k of topLevelKeys(body)) details.set(k, file);
    }
    for (const m of text.matchAll(/subjectType: '([a-z_]+)'/g)) subjects.set(m[1]!, file);
  }
  return { actions, details, subjects };
}

const dict: Record<string, string> = vi;
const unnamed = (prefix: string, found: Map<string, string>) =>
  [...found].filter(([k]) => !dict[`${prefix}.${k}`]?.trim()).map(([k, where]) => `${prefix}.${k} (${where})`);

describe('audit trail vocabulary', () => {
  const w = written();

  it('finds what the server writes (the scan itself works)', () => {
    // Known writes in three different forms: a plain literal, a ternary, a parameter's union type.
    for (const a of ['auth.login', 'org.account_change.rejected', 'register.exported', 'backup.created']) expect(w.actions.has(a), a).toBe(true);
    expect(w.actions.size).toBeGreaterThan(60);
    expect(w.details.has('reason')).toBe(true);
    expect(w.subjects.has('item')).toBe(true);
  });

  it('names every audit action in the dictionary', () => {
    expect(unnamed('action', w.actions)).toEqual([]);
  });

  it('names every detail key the server writes', () => {
    expect(unnamed('detail', w.details)).toEqual([]);
  });

  it('names every subject type', () => {
    expect(unnamed('subject', w.subjects)).toEqual([]);
  });
});
