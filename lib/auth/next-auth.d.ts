import 'next-auth';
import 'next-auth/jwt';

declare module 'next-auth' {
  interface Session {
    user?: { id?: number; name?: string | null; email?: string | null; image?: string | null };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    userId?: number;
    /** The opaque server-side session id (lib/auth/sessions.ts). */
    sid?: string;
    /** Epoch ms of the login: the absolute lifetime counts from here. */
    loginAt?: number;
  }
}
