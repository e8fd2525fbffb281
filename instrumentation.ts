// Runs once when the server starts: refuse to serve with a broken or unsafe configuration, and say
// why, one line per problem.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { preflightOrExit } = await import('./lib/preflight');
    // Inlined by `next build`: a production build checks as production whatever NODE_ENV says at run time.
    await preflightOrExit({ production: process.env.NODE_ENV === 'production' });
  }
}
