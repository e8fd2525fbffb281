import { describe, expect, it } from 'vitest';
import { MAX_REDIRECT_LENGTH, NO_ORIGIN, safeRedirectPath } from './safe-redirect';

const OURS = 'https://portal.porthole.test:8443';

describe('safeRedirectPath: refused targets answer "/"', () => {
  it.each([
    // control characters browsers drop inside URLs, raw and encoded
    ['TAB raw', '/\t/evil.example'],
    ['TAB encoded', '/%09/evil.example'],
    ['LF encoded', '/%0a/evil.example'],
    ['CR encoded', '/%0d/evil.example'],
    ['CRLF header injection', '/x%0d%0aSet-Cookie:%20a=b'],
    ['LF raw', '/\n/evil.example'],
    ['NUL encoded', '/%00/evil.example'],
    ['DEL raw', '/\x7f/evil.example'],
    ['DEL encoded', '/%7f/evil.example'],
    ['C1 NEL raw', '/\u0085/evil.example'],
    ['C1 NEL encoded (UTF-8)', '/%c2%85/evil.example'],
    ['C1 CSI raw', '/\u009b/evil.example'],
    // backslashes, which browsers read as slashes
    ['backslash', '\\evil.example'],
    ['double backslash', '\\\\evil.example'],
    ['slash backslash', '/\\evil.example'],
    ['backslash slash', '\\/evil.example'],
    ['backslash later in the path', '/vms/\\evil'],
    ['encoded backslash', '/%5cevil.example'],
    ['encoded backslash, upper case', '/%5Cevil.example'],
    ['double-encoded backslash', '/%255cevil.example'],
    // protocol-relative and friends
    ['protocol-relative', '//evil.example'],
    ['triple slash', '///evil.example'],
    ['four slashes', '////evil.example/x'],
    ['encoded second slash', '/%2fevil.example'],
    ['encoded second slash, upper case', '/%2Fevil.example'],
    ['double-encoded second slash', '/%252fevil.example'],
    ['triple-encoded second slash', '/%25252fevil.example'],
    ['dot segment that leaves //', '/.//evil.example'],
    ['encoded dot segment that leaves //', '/%2e//evil.example'],
    ['dot-dot segment that leaves //', '/a/..//evil.example'],
    ['encoded TAB then slash', '/%09/%2fevil.example'],
    // schemes and absolute URLs elsewhere
    ['http to another host', 'http://evil.example/'],
    ['https to another host', 'https://evil.example/vms/1'],
    ['scheme upper case', 'HTTPS://evil.example'],
    ['same host, other scheme', 'http://portal.porthole.test:8443/'],
    ['same host, other port', 'https://portal.porthole.test/'],
    ['subdomain of ours', 'https://evil.portal.porthole.test:8443/'],
    ['our host as userinfo', 'https://portal.porthole.test:8443@evil.example/'],
    ['userinfo on our origin', 'https://user:pass@portal.porthole.test:8443/vms/1'],
    ['protocol-relative with userinfo', '//evil@portal.porthole.test:8443/'],
    ['scheme without slashes', 'https:evil.example'],
    ['http: alone', 'http:'],
    ['javascript:', 'javascript:alert(document.domain)'],
    ['javascript: mixed case', 'JaVaScRiPt:alert(1)'],
    ['javascript: encoded colon', 'javascript%3aalert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://evil.example/'],
    // whitespace and Unicode lookalikes
    ['leading space', ' /vms/1'],
    ['leading space before //', ' //evil.example'],
    ['trailing space', '/vms/1 '],
    ['space inside', '/vms /1'],
    ['non-breaking space', '\u00a0//evil.example'],
    ['ideographic space', '\u3000//evil.example'],
    ['division slash U+2215', '/\u2215evil.example'],
    ['fullwidth solidus U+FF0F', '/\uff0fevil.example'],
    ['two fullwidth solidi', '\uff0f\uff0fevil.example'],
    ['fraction slash U+2044', '/\u2044evil.example'],
    ['fullwidth reverse solidus U+FF3C', '/\uff3cevil.example'],
    ['IDN host', 'https://еvil.example/'],
    ['IDN punycode host', 'https://xn--vil-ddd.example/'],
    ['right-to-left override', '/\u202e/elpmaxe.live'],
    ['encoded right-to-left override', '/%e2%80%ae/elpmaxe.live'],
    ['encoded zero-width space', '/%e2%80%8b/evil'],
    ['encoded line separator', '/%e2%80%a8/evil'],
    ['encoded byte order mark', '/%ef%bb%bf/evil'],
    // odd shapes
    ['empty', ''],
    ['relative path', 'foo'],
    ['relative dot path', './vms/1'],
    ['relative dot-dot path', '../evil'],
    ['query only', '?tab=x'],
    ['fragment only', '#top'],
    ['malformed percent-encoding', '/%zz'],
    ['truncated UTF-8', '/%e2%80'],
    ['lone percent', '/100%'],
    ['too long', `/${'a'.repeat(MAX_REDIRECT_LENGTH)}`],
  ])('%s', (_name, target) => {
    expect(safeRedirectPath(target, OURS)).toBe('/');
  });

  it.each([undefined, null, 42, ['/vms/1'], { href: '/vms/1' }])('non-string %j', (target) => {
    expect(safeRedirectPath(target, OURS)).toBe('/');
  });
});

describe('safeRedirectPath: our own paths are kept', () => {
  it.each([
    ['/', '/'],
    ['/vms/1', '/vms/1'],
    ['/vms/1?tab=x', '/vms/1?tab=x'],
    ['/vms/1?tab=x#history', '/vms/1?tab=x#history'],
    ['/vms/1?q=a%20b&cursor=abc%2Fdef', '/vms/1?q=a%20b&cursor=abc%2Fdef'], // encoded slash past the start is data
    ['/admin/events?x=%E2%9C%93', '/admin/events?x=%E2%9C%93'],
    ['/@evil', '/@evil'], // a path on our origin, not userinfo
    ['/../../x', '/x'], // dot segments cannot climb above the root
    ['/vms/%2e%2e/admin', '/admin'],
    ['/evil.example', '/evil.example'],
    ['/a//b', '/a//b'],
    [`/${'a'.repeat(MAX_REDIRECT_LENGTH - 1)}`, `/${'a'.repeat(MAX_REDIRECT_LENGTH - 1)}`],
  ])('%s -> %s', (target, expected) => {
    expect(safeRedirectPath(target, OURS)).toBe(expected);
  });

  it('accepts a full URL to our own origin and keeps only its path', () => {
    expect(safeRedirectPath('https://portal.porthole.test:8443/vms/1?tab=x#h', OURS)).toBe('/vms/1?tab=x#h');
    expect(safeRedirectPath('HTTPS://PORTAL.porthole.test:8443/vms/1', OURS)).toBe('/vms/1');
    expect(safeRedirectPath('https://portal.porthole.test:8443', OURS)).toBe('/');
  });

  it('with no known origin, only root-relative paths pass', () => {
    expect(safeRedirectPath('/vms/1?tab=x', NO_ORIGIN)).toBe('/vms/1?tab=x');
    expect(safeRedirectPath('/vms/1')).toBe('/vms/1');
    expect(safeRedirectPath('https://portal.porthole.test:8443/vms/1')).toBe('/');
    expect(safeRedirectPath('//evil.example')).toBe('/');
  });

  it('refuses everything when our own origin is not a URL', () => {
    expect(safeRedirectPath('/vms/1', 'not a url')).toBe('/');
  });

  it('never answers something that a browser would take off-site', () => {
    // Whatever goes in, the answer resolves to our origin, even against a base with a path.
    const inputs = ['/%09/evil.example', '/.//evil.example', '/\\evil', '//evil', '/vms/1', 'https://evil.example', '/%2f/x'];
    for (const input of inputs) {
      const answer = safeRedirectPath(input, OURS);
      expect(new URL(answer, `${OURS}/some/page`).origin).toBe(OURS);
      expect(answer.startsWith('/') && !answer.startsWith('//')).toBe(true);
    }
  });
});
