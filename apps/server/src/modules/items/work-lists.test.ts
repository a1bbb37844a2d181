import { afterEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { startAgency, SUMMARY, type Agency } from './items-test-helpers';

// The decider's list (issue 12 point 10): a proposal waiting for the head shows what it is about,
// not only its document type — its summary, through the one content decision of every row
// (rowContentAccess): the decider and the drafter read it, anyone else who sees the row does not.

const DIALECTS = await dialects();

interface Row {
  id: string;
  docType: string;
  proposedLevel: string | null;
  summary: string | null;
  summaryHidden: boolean;
}

describe.each(DIALECTS)('work list summaries on %s', (dialect) => {
  let agency: Agency | undefined;
  afterEach(async () => agency?.t.cleanup());

  it('the decider and the drafter read a proposal’s summary in the list; other heads and inspectors see it hidden', async () => {
    agency = await startAgency(dialect);
    const { as, draft } = agency;
    const id = await draft();
    expect((await (await as('canboa')).post(`/api/items/${id}/propose`)).statusCode).toBe(200);
    const rowOf = async (username: string, query: string): Promise<Row | undefined> => {
      const r = await (await as(username)).get(`/api/items?${query}`);
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().items as Row[]).find((x) => x.id === id);
    };

    // The agency head decides it: the waiting list and "chờ tôi phê duyệt" both carry the summary.
    for (const q of ['state=proposed', 'state=proposed&decide=true']) {
      expect(await rowOf('giamdoc', q), q).toMatchObject({ docType: 'Kế hoạch', proposedLevel: 'SECRET', summary: SUMMARY, summaryHidden: false });
    }
    expect(await rowOf('canboa', 'state=proposed')).toMatchObject({ summary: SUMMARY, summaryHidden: false });
    // A department head sees every proposal's metadata, but does not decide this one.
    expect(await rowOf('truongphongb', 'state=proposed')).toMatchObject({ summary: null, summaryHidden: true });
    expect(await rowOf('thanhtra', 'state=proposed')).toMatchObject({ summary: null, summaryHidden: true });
    const clerk = await rowOf('vanthu', 'state=proposed');
    expect(clerk).toMatchObject({ summary: null, summaryHidden: true });

    // Approved: the head no longer decides it, and no longer reads it from the list.
    expect((await (await as('giamdoc')).post(`/api/items/${id}/approve`)).statusCode).toBe(200);
    expect(await rowOf('giamdoc', 'state=classified')).toMatchObject({ summary: null, summaryHidden: true });
    expect(await rowOf('canboa', 'state=classified')).toMatchObject({ summary: SUMMARY, summaryHidden: false });
  });
});
