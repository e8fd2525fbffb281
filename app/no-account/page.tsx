import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { NoBackCache } from '@/app/_components/no-back-cache';
import { SignOutButton } from '@/app/_components/sign-out-button';
import { requireUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'No account yet' };

export default async function NoAccountPage() {
  const user = await requireUser();
  if (user.accountId !== null) redirect('/');
  return (
    <main className="login">
      <NoBackCache />
      <div className="panel">
        <h1>Your login has no account yet</h1>
        <p>
          You are logged in as <strong>{user.username}</strong>, but this login is not linked to a customer account.
          Support can link it for you; please contact them and mention your username.
        </p>
        <SignOutButton />
      </div>
    </main>
  );
}
