import type { User } from '../../kit/types';

/** Full name with the username under it. */
export function PersonCell({ user }: { user: User }) {
  return (
    <div className="person-cell">
      <div className="person-name">{user.fullName}</div>
      <div className="person-username">{user.username}</div>
    </div>
  );
}
