import { logOut } from './log-out';

/** A plain POST form: logs out before and without JavaScript, with no client code at all. */
export function SignOutButton() {
  return (
    <form action={logOut} style={{ margin: 0 }}>
      <button type="submit" className="secondary">
        Log out
      </button>
    </form>
  );
}
