/**
 * Node flags for the web process (server.mjs). Rendering a page allocates short-lived objects by the
 * megabyte (query rows, React elements, HTML chunks); 32 MB young-generation semi-spaces (Node 20's
 * default is 16) let most of them die without being copied: the heavy VM page of bench:portal took
 * ~6 ms (9%) less per request, for up to 2 x 16 MB more young generation. `npm start`, the service
 * units, the demo and the tests start it with these.
 */
export const WEB_NODE_FLAGS = ['--max-semi-space-size=32'] as const;
