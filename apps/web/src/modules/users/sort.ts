import type { User } from '../../kit/types';

const collator = new Intl.Collator('vi', { sensitivity: 'base' });

/** Vietnamese lists are ordered by given name (the last word), then by the full name. */
export function byVietnameseName(a: User, b: User): number {
  const given = (n: string) => n.trim().split(/\s+/).pop() ?? n;
  return collator.compare(given(a.fullName), given(b.fullName)) || collator.compare(a.fullName, b.fullName) || a.username.localeCompare(b.username);
}
