import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { configuredOrigin, safeRedirectPath } from '@/lib/auth/safe-redirect';
import { currentUser } from '@/lib/auth/session';
import { supportSettings } from '@/lib/vms/support-settings';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Log in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const raw = Array.isArray(params.callbackUrl) ? params.callbackUrl[0] : params.callbackUrl;
  // A path on our own origin or '/': the one rule for every user-supplied target (lib/auth/safe-redirect.ts).
  const callbackUrl = safeRedirectPath(raw, configuredOrigin(process.env.NEXTAUTH_URL));
  if (await currentUser()) redirect(callbackUrl);
  // The directory's own reset page, when staff set one; the login page must not fail without the database.
  const resetUrl = await supportSettings().then((s) => s.passwordResetUrl, () => null);
  return (
    <main className="login">
      <div className="panel">
        <h1>Log in to Porthole</h1>
        {params.loggedOut === '1' ? (
          <p role="status" className="notice">
            You are logged out.
          </p>
        ) : null}
        <p className="muted">Use your customer directory username and password.</p>
        <LoginForm callbackUrl={callbackUrl} />
        {resetUrl ? (
          <p className="small">
            <a href={resetUrl} data-testid="forgot-password">
              Forgot your password?
            </a>{' '}
            <span className="muted">Your directory resets it; then log in here with the new one.</span>
          </p>
        ) : null}
      </div>
    </main>
  );
}
