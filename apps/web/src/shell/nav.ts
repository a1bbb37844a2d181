import type { ComponentType } from 'react';
import { useNavItems as useMenuEntries, type NavItem } from '../kit/nav';
import { InboxBadge } from '../modules/requests/InboxBadge';

/** The counts beside menu entries, by path: screens supply them, the kit's table cannot name screens. */
const BADGES: Partial<Record<string, ComponentType>> = { '/requests/inbox': InboxBadge };

/** The entries this person may use, in menu order (kit/nav.tsx), with their counts. */
export function useNavItems(): NavItem[] {
  return useMenuEntries().map((i) => {
    const badge = BADGES[i.path];
    return badge ? { ...i, badge } : i;
  });
}
