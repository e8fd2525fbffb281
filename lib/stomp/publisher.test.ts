import { describe, expect, it } from 'vitest';
import { FrameReader, MAX_FRAME_BYTES, encodeFrame } from './publisher';

describe('encodeFrame', () => {
  it('escapes header names and values of every frame but CONNECT (STOMP 1.2)', () => {
    expect(encodeFrame('SEND', { destination: '/queue/a', 'x:y': 'a\\b\nc\rd:e' }, '{}')).toBe('SEND\ndestination:/queue/a\nx\\cy:a\\\\b\\nc\\rd\\ce\n\n{}\0');
    expect(encodeFrame('CONNECT', { login: 'a:b', passcode: 'p\\q' })).toBe('CONNECT\nlogin:a:b\npasscode:p\\q\n\n\0');
  });

  it('counts content-length in bytes, not characters', () => {
    expect(encodeFrame('SEND', { destination: '/queue/a' }, 'héllo ✓', true)).toBe('SEND\ndestination:/queue/a\ncontent-length:10\n\nhéllo ✓\0');
  });
});

describe('FrameReader', () => {
  it('reads frames split anywhere across chunks, with heart-beat EOLs between them', () => {
    const wire = Buffer.from('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0\n\r\nRECEIPT\nreceipt-id:r1\n\n\0RECEIPT\nreceipt-id:r2\n\n\0');
    for (let cut = 1; cut < wire.length; cut++) {
      const reader = new FrameReader();
      const frames = [...reader.push(wire.subarray(0, cut)), ...reader.push(wire.subarray(cut))];
      expect(frames.map((f) => [f.command, f.headers['receipt-id'] ?? f.headers.version])).toEqual([
        ['CONNECTED', '1.2'],
        ['RECEIPT', 'r1'],
        ['RECEIPT', 'r2'],
      ]);
    }
  });

  it('honours content-length (a body may hold NUL) and CRLF line ends, and unescapes headers', () => {
    const body = 'a\0b é';
    const wire = Buffer.from(`ERROR\r\nmessage:bad\\cthing\\nhere\r\nmessage:second\r\ncontent-length:${Buffer.byteLength(body)}\r\n\r\n${body}\0`);
    const [frame, ...rest] = new FrameReader().push(wire);
    expect(rest).toEqual([]);
    expect(frame).toEqual({ command: 'ERROR', headers: { message: 'bad:thing\nhere', 'content-length': '6' }, body });
  });

  it('refuses an unfinished frame that grows past MAX_FRAME_BYTES, however it is split', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.from('MESSAGE\n\n'))).toEqual([]);
    expect(() => {
      for (let i = 0; i < 20; i++) reader.push(Buffer.alloc(MAX_FRAME_BYTES / 16, 0x61));
    }).toThrow(/over 1048576 bytes/);
  });

  it('keeps an incomplete frame until the rest arrives', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.from('RECEIPT\nreceipt-id:r1\n'))).toEqual([]);
    expect(reader.push(Buffer.from('\n'))).toEqual([]);
    expect(reader.push(Buffer.from('\0'))).toEqual([{ command: 'RECEIPT', headers: { 'receipt-id': 'r1' }, body: '' }]);
  });
});
