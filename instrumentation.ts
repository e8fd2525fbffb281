// Runs once when the server starts: refuse to serve with a broken configuration, and say why in one line.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { preflightOrExit } = await import('./lib/preflight');
    await preflightOrExit();
  }
}
