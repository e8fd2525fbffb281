// The project's one convention for outcomes (zod-free, importable by the CLI bundles):
// - an expected failure (bad input, a refused login, a forecast without enough data) is returned as a
//   `Result`: `{ ok: true, value }` or `{ ok: false, error }`; `error` is a sentence for a person unless a
//   caller needs to branch on it, in which case it is a union of string codes or an object;
// - an unexpected one, or one that must stop the process or the request, is thrown as a class named
//   `…Error` in the room that throws it, with `override name = '…Error'` so logs say which.

export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const fail = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
