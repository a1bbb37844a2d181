import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COPY_STATUSES,
  CUSTODY_EVENT_TYPES,
  CUSTODY_TRANSITIONS,
  applyCustodyEvent,
  custodyInvariantHolds,
  isTerminal,
  openCustody,
  sameHolder,
  type CopyCustodyState,
  type CopyStatus,
  type CustodyErrorCode,
  type CustodyEvent,
  type CustodyEventType,
  type Holder,
} from './copies.rules';

const user = (id: string): Holder => ({ kind: 'user', id });
const unit = (id: string): Holder => ({ kind: 'unit', id });
const outside = (id: string): Holder => ({ kind: 'outside', id });

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** One representative state per status (frozen: the rules must never mutate their input). */
const STATE: Record<CopyStatus, CopyCustodyState> = deepFreeze({
  held: { status: 'held', holder: user('u1'), pendingHolder: null, returnTo: null },
  in_transit: { status: 'in_transit', holder: user('u1'), pendingHolder: user('u2'), returnTo: null },
  taken_out: { status: 'taken_out', holder: user('u1'), pendingHolder: null, returnTo: unit('n1') },
  returned: { status: 'returned', holder: unit('n1'), pendingHolder: null, returnTo: null },
  recalled: { status: 'recalled', holder: unit('n1'), pendingHolder: null, returnTo: null },
  destroyed: { status: 'destroyed', holder: user('u1'), pendingHolder: null, returnTo: null },
  lost: { status: 'lost', holder: user('u1'), pendingHolder: null, returnTo: null },
});

/** An event of each type whose own data is acceptable for the given state. */
function validEvent(type: CustodyEventType, s: CopyCustodyState): CustodyEvent {
  switch (type) {
    case 'hand_over':
      return { type, to: user('u9') };
    case 'dispatch':
      return { type, to: outside('o1') };
    case 'confirm_receipt':
      return { type, by: s.pendingHolder ?? user('u2') };
    case 'take_out':
      return { type, by: s.holder.kind === 'user' ? s.holder : user('u1') };
    case 'give_back':
    case 'recall':
      return { type, to: unit('n9') };
    case 'report_found':
      return { type, holder: unit('n9') };
    case 'cancel_transit':
    case 'bring_back':
    case 'destroy':
    case 'report_lost':
      return { type };
  }
}

// The whole table, written out independently of the code: next status, or '-' for refused.
const EXPECTED: Record<CopyStatus, Record<CustodyEventType, CopyStatus | '-'>> = {
  //          hand_over     dispatch      confirm  cancel   take_out     bring_back give_back   recall      destroy      report_lost report_found
  held: {
    hand_over: 'in_transit',
    dispatch: 'in_transit',
    confirm_receipt: '-',
    cancel_transit: '-',
    take_out: 'taken_out',
    bring_back: '-',
    give_back: 'returned',
    recall: 'recalled',
    destroy: 'destroyed',
    report_lost: 'lost',
    report_found: '-',
  },
  returned: {
    hand_over: 'in_transit',
    dispatch: 'in_transit',
    confirm_receipt: '-',
    cancel_transit: '-',
    take_out: 'taken_out',
    bring_back: '-',
    give_back: '-',
    recall: '-',
    destroy: 'destroyed',
    report_lost: 'lost',
    report_found: '-',
  },
  recalled: {
    hand_over: 'in_transit',
    dispatch: 'in_transit',
    confirm_receipt: '-',
    cancel_transit: '-',
    take_out: 'taken_out',
    bring_back: '-',
    give_back: '-',
    recall: '-',
    destroy: 'destroyed',
    report_lost: 'lost',
    report_found: '-',
  },
  in_transit: {
    hand_over: '-',
    dispatch: '-',
    confirm_receipt: 'held',
    cancel_transit: 'held',
    take_out: '-',
    bring_back: '-',
    give_back: '-',
    recall: '-',
    destroy: '-',
    report_lost: 'lost',
    report_found: '-',
  },
  taken_out: {
    hand_over: '-',
    dispatch: '-',
    confirm_receipt: '-',
    cancel_transit: '-',
    take_out: '-',
    bring_back: 'held',
    give_back: '-',
    recall: '-',
    destroy: 'destroyed',
    report_lost: 'lost',
    report_found: '-',
  },
  lost: {
    hand_over: '-',
    dispatch: '-',
    confirm_receipt: '-',
    cancel_transit: '-',
    take_out: '-',
    bring_back: '-',
    give_back: '-',
    recall: '-',
    destroy: '-',
    report_lost: '-',
    report_found: 'held',
  },
  destroyed: {
    hand_over: '-',
    dispatch: '-',
    confirm_receipt: '-',
    cancel_transit: '-',
    take_out: '-',
    bring_back: '-',
    give_back: '-',
    recall: '-',
    destroy: '-',
    report_lost: '-',
    report_found: '-',
  },
};

describe('custody table: every status × every event', () => {
  const cases = COPY_STATUSES.flatMap((s) => CUSTODY_EVENT_TYPES.map((e) => [s, e, EXPECTED[s][e]] as const));
  it('covers 7 × 11 cases', () => expect(cases.length).toBe(77));

  it.each(cases)('%s + %s → %s', (status, type, expected) => {
    const state = STATE[status];
    const r = applyCustodyEvent(state, validEvent(type, state));
    if (expected === '-') {
      expect(r).toEqual({ ok: false, code: status === 'destroyed' ? 'copy.destroyed' : 'copy.transition_not_allowed' });
      expect(CUSTODY_TRANSITIONS[status][type]).toBeUndefined();
    } else {
      expect(r.ok && r.state.status).toBe(expected);
      expect(CUSTODY_TRANSITIONS[status][type]).toBe(expected);
      if (r.ok) expect(custodyInvariantHolds(r.state)).toBe(true);
    }
  });

  it('only destroyed is terminal', () => {
    expect(COPY_STATUSES.filter(isTerminal)).toEqual(['destroyed']);
  });
});

describe('who holds the copy after each move', () => {
  const held = STATE.held;
  const ok = (r: ReturnType<typeof applyCustodyEvent>) => {
    if (!r.ok) throw new Error(r.code);
    return r.state;
  };

  it('a copy starts held by whoever issued, received or made it', () => {
    expect(openCustody(unit('van-thu'))).toEqual({ ok: true, state: { status: 'held', holder: unit('van-thu'), pendingHolder: null, returnTo: null } });
    expect(openCustody({ kind: 'user', id: ' ' })).toEqual({ ok: false, code: 'copy.invalid_holder' });
    expect(openCustody({ kind: 'robot', id: 'x' } as unknown as Holder)).toEqual({ ok: false, code: 'copy.invalid_holder' });
  });

  it('hand-over: the sender keeps it until the receiver confirms', () => {
    const moving = ok(applyCustodyEvent(held, { type: 'hand_over', to: unit('n2') }));
    expect(moving).toEqual({ status: 'in_transit', holder: user('u1'), pendingHolder: unit('n2'), returnTo: null });
    expect(ok(applyCustodyEvent(moving, { type: 'confirm_receipt', by: unit('n2') }))).toEqual({
      status: 'held',
      holder: unit('n2'),
      pendingHolder: null,
      returnTo: null,
    });
    expect(ok(applyCustodyEvent(moving, { type: 'cancel_transit' }))).toEqual({ status: 'held', holder: user('u1'), pendingHolder: null, returnTo: null });
    expect(ok(applyCustodyEvent(moving, { type: 'report_lost' }))).toEqual({ status: 'lost', holder: user('u1'), pendingHolder: null, returnTo: null });
  });

  it('dispatch to an outside body completes with its recorded receipt', () => {
    const moving = ok(applyCustodyEvent(STATE.returned, { type: 'dispatch', to: outside('so-noi-vu') }));
    expect(moving).toEqual({ status: 'in_transit', holder: unit('n1'), pendingHolder: outside('so-noi-vu'), returnTo: null });
    const there = ok(applyCustodyEvent(moving, { type: 'confirm_receipt', by: outside('so-noi-vu') }));
    expect(there.holder).toEqual(outside('so-noi-vu'));
    // Recalled from the outside body: back in the agency's custody.
    expect(ok(applyCustodyEvent(there, { type: 'recall', to: unit('n1') }))).toEqual({
      status: 'recalled',
      holder: unit('n1'),
      pendingHolder: null,
      returnTo: null,
    });
    expect(ok(applyCustodyEvent(there, { type: 'give_back', to: unit('n1') })).status).toBe('returned');
  });

  it('take-out: the person holds it while out, and it goes back where it came from', () => {
    const atUnit = STATE.returned;
    const out = ok(applyCustodyEvent(atUnit, { type: 'take_out', by: user('u3') }));
    expect(out).toEqual({ status: 'taken_out', holder: user('u3'), pendingHolder: null, returnTo: unit('n1') });
    expect(ok(applyCustodyEvent(out, { type: 'bring_back' }))).toEqual({ status: 'held', holder: unit('n1'), pendingHolder: null, returnTo: null });
    const ownOut = ok(applyCustodyEvent(held, { type: 'take_out', by: user('u1') }));
    expect(ok(applyCustodyEvent(ownOut, { type: 'bring_back' })).holder).toEqual(user('u1'));
    expect(ok(applyCustodyEvent(out, { type: 'destroy' }))).toEqual({ status: 'destroyed', holder: user('u3'), pendingHolder: null, returnTo: null });
  });

  it('lost and found', () => {
    expect(ok(applyCustodyEvent(STATE.lost, { type: 'report_found', holder: unit('n2') }))).toEqual({
      status: 'held',
      holder: unit('n2'),
      pendingHolder: null,
      returnTo: null,
    });
  });
});

describe('guards on the event data', () => {
  const inTransitToOutside: CopyCustodyState = deepFreeze({ status: 'in_transit', holder: unit('n1'), pendingHolder: outside('o1'), returnTo: null });
  const heldOutside: CopyCustodyState = deepFreeze({ status: 'held', holder: outside('o1'), pendingHolder: null, returnTo: null });
  it.each<[string, CopyCustodyState, CustodyEvent, CustodyErrorCode]>([
    ['hand-over to the current holder', STATE.held, { type: 'hand_over', to: user('u1') }, 'copy.same_holder'],
    ['hand-over to an outside body', STATE.held, { type: 'hand_over', to: outside('o1') }, 'copy.hand_over_internal_only'],
    ['hand-over by an outside holder', heldOutside, { type: 'hand_over', to: user('u2') }, 'copy.holder_outside'],
    ['hand-over to nobody', STATE.held, { type: 'hand_over', to: { kind: 'user', id: '' } }, 'copy.invalid_holder'],
    ['dispatch to an internal unit', STATE.held, { type: 'dispatch', to: unit('n2') }, 'copy.dispatch_outside_only'],
    ['dispatch by an outside holder', heldOutside, { type: 'dispatch', to: outside('o2') }, 'copy.holder_outside'],
    ['confirm by someone else', STATE.in_transit, { type: 'confirm_receipt', by: user('u3') }, 'copy.not_pending_holder'],
    ['confirm by the sender', STATE.in_transit, { type: 'confirm_receipt', by: user('u1') }, 'copy.not_pending_holder'],
    ['confirm by same id, other kind', inTransitToOutside, { type: 'confirm_receipt', by: unit('o1') }, 'copy.not_pending_holder'],
    ['take-out by a unit', STATE.returned, { type: 'take_out', by: unit('n1') }, 'copy.take_out_by_user_only'],
    ['take-out of a copy someone else holds', STATE.held, { type: 'take_out', by: user('u2') }, 'copy.not_holder'],
    ['take-out from an outside holder', heldOutside, { type: 'take_out', by: user('u2') }, 'copy.holder_outside'],
    ['give back to an outside body', heldOutside, { type: 'give_back', to: outside('o2') }, 'copy.must_come_back_inside'],
    ['recall to the current holder', STATE.held, { type: 'recall', to: user('u1') }, 'copy.same_holder'],
    ['recall to an invalid holder', STATE.held, { type: 'recall', to: { kind: 'unit', id: '  ' } }, 'copy.invalid_holder'],
    ['found by an outside body', STATE.lost, { type: 'report_found', holder: outside('o1') }, 'copy.must_come_back_inside'],
    ['destroyed copy found again', STATE.destroyed, { type: 'report_found', holder: unit('n1') }, 'copy.destroyed'],
  ])('%s → %s', (_name, state, event, code) => {
    expect(applyCustodyEvent(state, event)).toEqual({ ok: false, code });
  });

  it('invariant checker flags broken states', () => {
    expect(custodyInvariantHolds({ status: 'held', holder: user('u1'), pendingHolder: user('u2'), returnTo: null })).toBe(false);
    expect(custodyInvariantHolds({ status: 'in_transit', holder: user('u1'), pendingHolder: null, returnTo: null })).toBe(false);
    expect(custodyInvariantHolds({ status: 'in_transit', holder: user('u1'), pendingHolder: user('u1'), returnTo: null })).toBe(false);
    expect(custodyInvariantHolds({ status: 'taken_out', holder: user('u1'), pendingHolder: null, returnTo: null })).toBe(false);
    expect(custodyInvariantHolds({ status: 'held', holder: { kind: 'user', id: '' }, pendingHolder: null, returnTo: null })).toBe(false);
    for (const s of Object.values(STATE)) expect(custodyInvariantHolds(s)).toBe(true);
  });
});

describe('custody properties', () => {
  const POOL: Holder[] = [user('u1'), user('u2'), user('u3'), unit('n1'), unit('n2'), outside('o1'), outside('o2')];
  const BROKEN: Holder = { kind: 'user', id: '' };
  const holderArb = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...POOL) }, { weight: 1, arbitrary: fc.constant(BROKEN) });
  const eventArb: fc.Arbitrary<CustodyEvent> = fc.oneof(
    holderArb.map((to) => ({ type: 'hand_over' as const, to })),
    holderArb.map((to) => ({ type: 'dispatch' as const, to })),
    holderArb.map((by) => ({ type: 'confirm_receipt' as const, by })),
    fc.constant({ type: 'cancel_transit' as const }),
    holderArb.map((by) => ({ type: 'take_out' as const, by })),
    fc.constant({ type: 'bring_back' as const }),
    holderArb.map((to) => ({ type: 'give_back' as const, to })),
    holderArb.map((to) => ({ type: 'recall' as const, to })),
    fc.constant({ type: 'destroy' as const }),
    fc.constant({ type: 'report_lost' as const }),
    holderArb.map((holder) => ({ type: 'report_found' as const, holder })),
  );
  const COPIES = 3;
  const key = (h: Holder) => `${h.kind}:${h.id}`;

  it('no sequence of operations leaves a copy with zero or two holders; destroyed copies accept nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...POOL.filter((h) => h.kind !== 'outside')), { minLength: COPIES, maxLength: COPIES }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: COPIES - 1 }), eventArb), { maxLength: 80 }),
        (starts, steps) => {
          const copies = starts.map((h) => {
            const r = openCustody(h);
            if (!r.ok) throw new Error(r.code);
            return deepFreeze(r.state);
          });
          for (const [i, event] of steps) {
            const before = copies[i]!;
            const r = applyCustodyEvent(before, event);
            if (before.status === 'destroyed') expect(r).toEqual({ ok: false, code: 'copy.destroyed' });
            if (r.ok) {
              // The holder changes only when a move completes, never when it starts.
              if (event.type === 'hand_over' || event.type === 'dispatch') expect(r.state.holder).toEqual(before.holder);
              copies[i] = deepFreeze(r.state);
            }
            // The register view "who holds what", built from every holder we know of.
            const holdings = new Map<string, number[]>(POOL.map((h) => [key(h), []]));
            copies.forEach((c, idx) => {
              expect(custodyInvariantHolds(c)).toBe(true);
              holdings.get(key(c.holder))?.push(idx);
            });
            for (let idx = 0; idx < COPIES; idx++) {
              const holders = [...holdings.values()].filter((list) => list.includes(idx)).length;
              expect(holders).toBe(1);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a refused event changes nothing and an accepted one follows the table (property)', () => {
    const stateArb = fc.constantFrom(...Object.values(STATE));
    fc.assert(
      fc.property(stateArb, eventArb, (state, event) => {
        const r = applyCustodyEvent(state, event);
        const planned = CUSTODY_TRANSITIONS[state.status][event.type];
        if (r.ok) {
          expect(r.state.status).toBe(planned);
          expect(custodyInvariantHolds(r.state)).toBe(true);
        } else if (planned === undefined) {
          expect(['copy.destroyed', 'copy.transition_not_allowed']).toContain(r.code);
        }
      }),
    );
  });

  it('every status is reachable from a new copy', () => {
    const seen = new Set<CopyStatus>();
    const start = openCustody(user('u1'));
    if (!start.ok) throw new Error(start.code);
    let frontier: CopyCustodyState[] = [start.state];
    for (let depth = 0; depth < 5 && frontier.length; depth++) {
      const next: CopyCustodyState[] = [];
      for (const s of frontier) {
        seen.add(s.status);
        for (const type of CUSTODY_EVENT_TYPES) {
          for (const h of POOL) {
            const events: CustodyEvent[] = [validEvent(type, s), { ...validEvent(type, s), to: h, by: h, holder: h } as unknown as CustodyEvent];
            for (const e of events) {
              const r = applyCustodyEvent(s, e);
              if (r.ok && !seen.has(r.state.status)) next.push(r.state);
            }
          }
        }
      }
      frontier = next;
    }
    expect([...seen].sort()).toEqual([...COPY_STATUSES].sort());
  });

  it('sameHolder compares kind and id', () => {
    expect(sameHolder(user('a'), user('a'))).toBe(true);
    expect(sameHolder(user('a'), unit('a'))).toBe(false);
    expect(sameHolder(user('a'), null)).toBe(false);
  });
});
