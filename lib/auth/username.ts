/**
 * One canonical form of a typed username, used for the throttle key, the directory search and
 * the audit log alike, so that lookalikes ("ALICE", "ａｌｉｃｅ", "alice" + a zero-width space)
 * can neither get counters of their own nor reach the directory as a different string.
 *
 * Canonical = NFKC, then toLowerCase, then NFKC again (lower-casing can leave a string that is
 * not NFKC, e.g. U+0130 → "i" + U+0307; the second pass makes the function idempotent).
 * toLowerCase instead of full case folding: JavaScript has no case-fold primitive, the two
 * differ only for a handful of non-ASCII letters (ß/ẞ, final sigma, Cherokee), and a name that
 * reaches the directory must be ASCII after NFKC (USERNAME_PATTERN), where they are identical.
 * The directory's uid matching (caseIgnoreMatch) is case-insensitive anyway, so the lower-cased
 * form finds the same entry.
 */

import { type Result, fail, ok } from '../result';

/** Why a typed name was refused before the directory (for the audit log only). */
export type UsernameRefusal = 'empty' | 'control' | 'format' | 'bidi' | 'surrogate' | 'unassigned' | 'private-use' | 'too-long';

/** The canonical username, or why it was refused. */
export type UsernameCheck = Result<string, UsernameRefusal>;

/** Longer than any name we accept (USERNAME_PATTERN allows 64); caps the work on hostile input. */
export const MAX_RAW_USERNAME_LENGTH = 256;

// Bidi controls (all of them Cf too), checked first so the audit log names the reason.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u; // C0, DEL, C1, line and paragraph separators
const FORMAT = /\p{Cf}/u; // ZWSP, ZWJ, ZWNJ, soft hyphen, BOM, word joiner, tags …
const SURROGATE = /\p{Cs}/u; // a lone surrogate: not a character at all
const UNASSIGNED = /\p{Cn}/u;
const PRIVATE_USE = /\p{Co}/u;

/** The throttle key and directory search form of an already accepted (or any) username. */
export function canonicalUsername(raw: string): string {
  return raw.normalize('NFKC').toLowerCase().normalize('NFKC').trim();
}

/**
 * Refuses what no real username contains, before anything else sees it: the answer to the user
 * is the same as for a wrong password; the reason is for the audit log only.
 */
export function checkUsername(raw: string): UsernameCheck {
  if (raw.length > MAX_RAW_USERNAME_LENGTH) return fail('too-long');
  // Checked on the raw input and on its NFKC form (compatibility mappings never produce these,
  // but the check is cheap and keeps the guarantee independent of Unicode's tables).
  for (const form of [raw, raw.normalize('NFKC')]) {
    if (SURROGATE.test(form)) return fail('surrogate');
    if (BIDI.test(form)) return fail('bidi');
    if (CONTROL.test(form)) return fail('control');
    if (FORMAT.test(form)) return fail('format');
    if (UNASSIGNED.test(form)) return fail('unassigned');
    if (PRIVATE_USE.test(form)) return fail('private-use');
  }
  const username = canonicalUsername(raw);
  if (username === '') return fail('empty');
  return ok(username);
}

/** A refused name as it may be written to the audit log: printable ASCII, everything else escaped. */
export function visibleUsername(raw: string): string {
  let out = '';
  for (const ch of raw.slice(0, 64)) {
    const code = ch.codePointAt(0)!;
    out += code >= 0x20 && code < 0x7f && ch !== '\\' ? ch : `\\u{${code.toString(16)}}`;
  }
  return out;
}
