// Types for route.mjs (plain JavaScript so that server.mjs can import it without a loader).
export type RouteMatch = (path: string) => string | undefined;
export declare const UNMATCHED: string;
export declare function routeTemplates(files: readonly string[]): string[];
export declare function routeMatcher(templates: readonly string[]): RouteMatch;
export declare function normaliseRoute(url: string | undefined, match: RouteMatch): string;
export declare function appRouteMatcher(root: string): RouteMatch;
