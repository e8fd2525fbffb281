import { describe, expect, it } from 'vitest';
import { USERNAME_PATTERN, escapeDnValue, escapeFilterValue } from './ldap-escape';

describe('escapeFilterValue', () => {
  it('escapes the RFC 4515 specials', () => {
    expect(escapeFilterValue('*')).toBe('\\2a');
    expect(escapeFilterValue('alice)(uid=*')).toBe('alice\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b')).toBe('a\\5cb');
    expect(escapeFilterValue('nul\0')).toBe('nul\\00');
  });
  it('leaves ordinary names alone', () => {
    expect(escapeFilterValue('alice.smith@example.com')).toBe('alice.smith@example.com');
  });
});

describe('escapeDnValue', () => {
  it('escapes RFC 4514 specials and edge spaces', () => {
    expect(escapeDnValue('Smith, John')).toBe('Smith\\, John');
    expect(escapeDnValue('#admin ')).toBe('\\#admin\\ ');
    expect(escapeDnValue('a=b+c')).toBe('a\\=b\\+c');
  });
});

describe('USERNAME_PATTERN', () => {
  it.each(['alice', 'bob', 'carol', 'j.doe', 'ops-1', 'x@y.z'])('accepts %s', (name) => {
    expect(USERNAME_PATTERN.test(name)).toBe(true);
  });
  it.each(['*', 'alice)(uid=*', '*)(|(uid=*', 'a\0b', '', ' alice', 'a'.repeat(10_000), 'ünïcode'])(
    'refuses %j',
    (name) => {
      expect(USERNAME_PATTERN.test(name)).toBe(false);
    },
  );
});
