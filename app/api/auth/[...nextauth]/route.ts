import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per call (cached inside) so that `next build` needs no secret.
const handler = (request: Request, context: Context) => NextAuth(request as never, context as never, authOptions());

/** next-auth parses a JSON body without catching: a client's malformed JSON would be a 500. */
async function post(request: Request, context: Context) {
  if (/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
    try {
      JSON.parse(await request.clone().text());
    } catch {
      return new Response('Bad request: the body is not valid JSON.\n', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
  }
  return handler(request, context);
}

export { handler as GET, post as POST };
