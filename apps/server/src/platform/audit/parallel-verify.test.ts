import { describe, expect, it } from 'vitest';
import { PARALLEL_MIN_CORES, verifySegments } from './parallel-verify';

describe('how many processes verify the audit chain', () => {
  it('one on one or two cores (two processes measured slower there), one per core from three, at most four', () => {
    expect(PARALLEL_MIN_CORES).toBe(3);
    expect([1, 2, 3, 4, 6, 64].map((cores) => verifySegments(cores))).toEqual([1, 1, 3, 4, 4, 4]);
  });
});
