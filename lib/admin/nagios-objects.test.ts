import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PROBLEMS, importCandidates, looksLikeHostName, parseObjectsCache, vmHostnameFor, type NagiosHost } from './nagios-objects';

// The fixture is objects.cache exactly as Nagios 4.4.6 (Debian's nagios4-core) wrote it for the
// configuration in nagios-objects.int.test.ts, which regenerates it (UPDATE_NAGIOS_FIXTURE=1).
const FIXTURE = readFileSync(path.join(import.meta.dirname, '__fixtures__', 'objects.cache'), 'utf8');

const FIXTURE_HOSTS: NagiosHost[] = [
  { hostName: 'globex-db-41', alias: 'Database server (primary)', address: '2001:db8:0:41::10', parents: ['globex-web-41'] },
  { hostName: 'globex-mail-41', alias: 'mail-41.globex.example', address: 'mail-41.globex.example', parents: ['globex-db-41', 'globex-web-41'] },
  { hostName: 'globex-web-41', alias: 'web-41.globex.example', address: '198.51.100.41', parents: [] },
];

const host = (lines: string[]) => `define host {\n${lines.map((l) => `\t${l}\n`).join('')}\t}\n`;

describe('parseObjectsCache', () => {
  it('reads the hosts of a file Nagios wrote, skipping its header, timeperiods, commands, contacts, host groups and services', () => {
    expect(FIXTURE).toMatch(/^#+\n#\s+NAGIOS OBJECT CACHE FILE/);
    expect(FIXTURE).toMatch(/define service \{\n\thost_name\tglobex-web-41\n/); // a service's host_name is not a host
    expect(parseObjectsCache(FIXTURE)).toEqual({ hosts: FIXTURE_HOSTS, problems: [] });
  });

  it('reads the same file with CRLF line ends, a byte-order mark, or without the last newline', () => {
    const expected = { hosts: FIXTURE_HOSTS, problems: [] };
    expect(parseObjectsCache(FIXTURE.replace(/\n/g, '\r\n'))).toEqual(expected);
    expect(parseObjectsCache(`\ufeff${FIXTURE}`)).toEqual(expected);
    expect(parseObjectsCache(FIXTURE.trimEnd())).toEqual(expected);
  });

  it('accepts a hand-written block: spaces for tabs, "define host{", comment lines, a value with spaces and tabs', () => {
    const text = ['# mine', 'define host{', '  ; a comment', '  host_name   web-01', '  alias  Web\tserver  one  ', '  address 192.0.2.1', '  parents  a , b,,', '}', ''].join('\n');
    expect(parseObjectsCache(text)).toEqual({ hosts: [{ hostName: 'web-01', alias: 'Web\tserver  one', address: '192.0.2.1', parents: ['a', 'b'] }], problems: [] });
  });

  it('gives null for a missing or empty address and alias', () => {
    expect(parseObjectsCache(host(['host_name\tbare', 'address\t', 'alias'])).hosts).toEqual([{ hostName: 'bare', alias: null, address: null, parents: [] }]);
  });

  it('skips templates (register 0) without a word', () => {
    expect(parseObjectsCache(host(['name\ttpl', 'register\t0']) + host(['host_name\tweb', 'register\t1']))).toEqual({
      hosts: [{ hostName: 'web', alias: null, address: null, parents: [] }],
      problems: [],
    });
  });

  it('skips and reports broken blocks by line, and keeps the good ones', () => {
    const text = [
      'define host {', // 1: never closed
      '\thost_name\thalf',
      'define host {', // 3: no host_name
      '\taddress\t192.0.2.9',
      '\t}',
      'stray text', // 6
      '\t}', // 7
      'define host {', // 8
      '\thost_name\tgood',
      '\thost_name\tagain', // 10
      '\taddress\t192.0.2.10',
      '\t}',
      'define host {', // 13: the same host again
      '\thost_name\tgood',
      '\t}',
      'define service {', // 16: never closed
      '\thost_name\tgood',
    ].join('\n');
    const { hosts, problems } = parseObjectsCache(text);
    expect(hosts).toEqual([{ hostName: 'good', alias: null, address: '192.0.2.10', parents: [] }]);
    expect(problems).toEqual([
      'Line 1: the define host block has no closing "}" before line 3, skipped.',
      'Line 3: a define host block without host_name, skipped.',
      'Line 6: "stray text" is outside any define block, ignored.',
      'Line 7: a "}" outside any define block.',
      'Line 10: host_name is set twice in the define host block from line 8; the first value counts.',
      'Line 13: host "good" is defined again, skipped (the first definition counts).',
      'Line 16: the define service block has no closing "}" before the end of the file, skipped.',
    ]);
  });

  it('lists at most MAX_PROBLEMS problems and counts the rest; a long line is shortened, its control characters blanked', () => {
    const { problems } = parseObjectsCache(Array.from({ length: MAX_PROBLEMS + 7 }, (_, i) => `junk ${i}\u0007${'x'.repeat(100)}`).join('\n'));
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems[0]).toBe(`Line 1: "junk 0 ${'x'.repeat(53)}…" is outside any define block, ignored.`);
    expect(problems.at(-1)).toBe('…and 7 more problems.');
  });

  it('never throws, whatever it is given', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = ['define host {', 'define', '{', '}', '\thost_name\t', 'address', '\r', '\n', '\t', ' ', '#', ';', '\u0000', '\ufeff', 'x', ',', 'parents\t,,'];
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: Math.floor(random() * 60) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const result = parseObjectsCache(text);
      expect(Array.isArray(result.hosts) && Array.isArray(result.problems)).toBe(true);
    }
    expect(parseObjectsCache('')).toEqual({ hosts: [], problems: [] });
  });

  it('reads 20,000 hosts (about 14 MB, as Nagios writes them) in well under two seconds', () => {
    const block = FIXTURE.slice(FIXTURE.indexOf('define host {'), FIXTURE.indexOf('define host {', FIXTURE.indexOf('define host {') + 1));
    const text = Array.from({ length: 20_000 }, (_, i) => block.replace('\thost_name\tglobex-db-41\n', `\thost_name\tbulk-${i}\n`)).join('');
    expect(text.length).toBeGreaterThan(14_000_000);
    const started = performance.now();
    const { hosts, problems } = parseObjectsCache(text);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(problems).toEqual([]);
    expect(hosts).toHaveLength(20_000);
    expect(hosts[19_999]).toEqual({ ...FIXTURE_HOSTS[0], hostName: 'bulk-19999' });
  });
});

describe('looksLikeHostName and vmHostnameFor', () => {
  it('takes dotted DNS names, not words, single labels, IP addresses or bad labels', () => {
    for (const yes of ['web-41.globex.example', 'a.b', 'WEB.Example.COM', 'x.example.com.']) expect(looksLikeHostName(yes), yes).toBe(true);
    for (const no of ['Database server (primary)', 'web', '192.0.2.1', '2001:db8::1', '1.2.3', '-web.example', 'web-.example', 'we_b.example', 'a..b', '', `${'a'.repeat(64)}.example`]) {
      expect(looksLikeHostName(no), no).toBe(false);
    }
  });

  it('names the VM by its alias when that is a host name, else by host_name', () => {
    expect(vmHostnameFor({ hostName: 'web', alias: 'web.example.com' })).toBe('web.example.com');
    expect(vmHostnameFor({ hostName: 'web', alias: 'web.example.com.' })).toBe('web.example.com');
    expect(vmHostnameFor({ hostName: 'db', alias: 'Database server' })).toBe('db');
    expect(vmHostnameFor({ hostName: 'db', alias: '192.0.2.1' })).toBe('db');
    expect(vmHostnameFor({ hostName: 'db', alias: null })).toBe('db');
  });
});

describe('importCandidates', () => {
  it("marks each of the fixture's hosts: new (IPv6 too), exists, or a DNS name for an address", () => {
    const candidates = importCandidates(parseObjectsCache(FIXTURE).hosts, new Set(['globex-web-41']));
    expect(candidates.map((c) => [c.hostName, c.hostname, c.status])).toEqual([
      ['globex-db-41', 'globex-db-41', 'new'],
      ['globex-mail-41', 'mail-41.globex.example', 'bad-address'],
      ['globex-web-41', 'web-41.globex.example', 'exists'],
    ]);
    expect(candidates[0]!.note).toBeNull();
    expect(candidates[1]!.note).toBe(
      '"mail-41.globex.example" is not an IP address (Nagios allows a DNS name there); a VM needs an IP address: set one in Nagios or create the VM by hand.',
    );
    expect(candidates[2]!.note).toBe('A VM with this Nagios host name exists already.');
  });

  it('compares names without regard to case (as the unique key does), and an existing VM wins over a missing address', () => {
    const hosts: NagiosHost[] = [
      { hostName: 'Web-01', alias: null, address: null, parents: [] },
      { hostName: 'db-01', alias: null, address: null, parents: [] },
      { hostName: 'mail-01', alias: null, address: '192.0.2.300', parents: [] },
      { hostName: 'app-01', alias: 'app-01.example.com', address: '192.0.2.7', parents: ['web-01'] },
    ];
    expect(importCandidates(hosts, new Set(['WEB-01'])).map((c) => c.status)).toEqual(['exists', 'no-address', 'bad-address', 'new']);
    expect(importCandidates(hosts, new Set())[3]).toEqual({ ...hosts[3], hostname: 'app-01.example.com', status: 'new', note: null });
  });
});
