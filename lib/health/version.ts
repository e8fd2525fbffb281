import pkg from '../../package.json';

/** The running release, as package.json names it: /api/health reports it, so a rolling upgrade can be watched. */
export const PORTHOLE_VERSION: string = pkg.version;
