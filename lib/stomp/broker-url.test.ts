import { describe, expect, it } from 'vitest';
import { BrokerUrlError, describeEndpoint, describeEndpoints, parseBrokerUrl } from './broker-url';

describe('parseBrokerUrl', () => {
  it.each([
    ['mq.example.com', [{ host: 'mq.example.com', port: 61613 }]],
    ['mq.example.com:61714', [{ host: 'mq.example.com', port: 61714 }]],
    ['  127.0.0.1:61713  ', [{ host: '127.0.0.1', port: 61713 }]],
    ['stomp://127.0.0.1:61713', [{ host: '127.0.0.1', port: 61713 }]],
    ['stomp://mq.example.com', [{ host: 'mq.example.com', port: 61613 }]],
    ['stomp://mq.example.com:61613/', [{ host: 'mq.example.com', port: 61613 }]],
    ['STOMP://mq:1', [{ host: 'mq', port: 1 }]],
    ['stomp+nio://mq:61613', [{ host: 'mq', port: 61613 }]],
    ['stomp://mq:61613?wireFormat.maxFrameSize=1000', [{ host: 'mq', port: 61613 }]],
    ['stomp://nagios:s3cret@mq:61613', [{ host: 'mq', port: 61613, login: 'nagios', passcode: 's3cret' }]],
    ['stomp://na%40gios:p%3Ass%40w@mq', [{ host: 'mq', port: 61613, login: 'na@gios', passcode: 'p:ss@w' }]],
    ['stomp://nagios@mq:61613', [{ host: 'mq', port: 61613, login: 'nagios' }]],
    ['stomp://nagios:@mq', [{ host: 'mq', port: 61613, login: 'nagios', passcode: '' }]],
    ['[::1]:61613', [{ host: '::1', port: 61613 }]],
    ['[::1]', [{ host: '::1', port: 61613 }]],
    ['::1', [{ host: '::1', port: 61613 }]],
    ['stomp://[fe80::1:2]:1234', [{ host: 'fe80::1:2', port: 1234 }]],
    ['stomp://u:p@[::1]:7', [{ host: '::1', port: 7, login: 'u', passcode: 'p' }]],
  ])('%s', (input, expected) => {
    expect(parseBrokerUrl(input)).toEqual(expected);
  });

  it('uses the given default port for entries without one', () => {
    expect(parseBrokerUrl('a,b'.split(',')[0]!, 61713)).toEqual([{ host: 'a', port: 61713 }]);
    expect(parseBrokerUrl('failover:(a,b:2)', 61713)).toEqual([
      { host: 'a', port: 61713 },
      { host: 'b', port: 2 },
    ]);
  });

  it('parses ActiveMQ failover lists in the order written, options ignored', () => {
    expect(parseBrokerUrl('failover:(stomp://a:61613,stomp://b:61614)?randomize=false&timeout=3000')).toEqual([
      { host: 'a', port: 61613 },
      { host: 'b', port: 61614 },
    ]);
    expect(parseBrokerUrl('failover:(stomp://u:p@a:1, stomp://[::1]:2)')).toEqual([
      { host: 'a', port: 1, login: 'u', passcode: 'p' },
      { host: '::1', port: 2 },
    ]);
    expect(parseBrokerUrl('failover:stomp://a:1,stomp://b:2?randomize=false')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
    ]);
    expect(parseBrokerUrl('FAILOVER:(stomp://only:5)')).toEqual([{ host: 'only', port: 5 }]);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['mq example', /whitespace/],
    ['m\nq:1', /control characters/],
    ['mq:0', /out of range/],
    ['mq:65536', /out of range/],
    ['mq:abc', /invalid port/],
    ['mq:', /invalid port/],
    [':61613', /no host/],
    ['tcp://mq:61616', /OpenWire/],
    ['nio://mq:61616', /OpenWire/],
    ['stomp+ssl://mq:61612', /TLS/],
    ['ssl://mq:61612', /TLS/],
    ['http://mq', /unsupported scheme/],
    ['ws://mq:61614', /unsupported scheme/],
    ['stomp://mq:61613/queue/x', /path/],
    ['failover:(stomp://a:1', /closing/],
    ['failover:()', /empty entry/],
    ['failover:(stomp://a:1,,stomp://b:2)', /empty entry/],
    ['failover:(stomp://a:1)junk', /after the failover list/],
    ['failover:(tcp://a:61616)', /OpenWire/],
    ['[::1', /unclosed/],
    ['[::1]x', /after "]"/],
    ['[mq]:1', /IPv6/],
    ['stomp://:pw@mq', /empty user/],
    ['stomp://u:%zz@mq', /%-escape/],
    ['mq_host!:1', /invalid host/],
  ])('rejects %j', (input, reason) => {
    expect(() => parseBrokerUrl(input)).toThrow(BrokerUrlError);
    expect(() => parseBrokerUrl(input)).toThrow(reason);
  });

  it('never puts a passcode into an error message', () => {
    for (const input of ['stomp://u:topsecret@mq:99999', 'stomp://u:topsecret@mq/path', 'failover:(stomp://u:topsecret@a:1']) {
      let message = '';
      try {
        parseBrokerUrl(input);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain('topsecret');
    }
  });
});

describe('describeEndpoint', () => {
  it('shows user, host and port but never the passcode', () => {
    expect(describeEndpoint({ host: 'mq', port: 61613, login: 'nagios', passcode: 'pw' })).toBe('nagios@mq:61613');
    expect(describeEndpoint({ host: '::1', port: 1 })).toBe('[::1]:1');
    expect(describeEndpoints(parseBrokerUrl('failover:(a:1,b:2)'))).toBe('a:1, b:2');
  });
});
