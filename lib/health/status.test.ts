import { describe, expect, it } from 'vitest';
import { healthStatus, httpStatusFor, pipelineHealth } from './status';

const ok = { database: 'ok', ldap: 'ok', broker: 'ok' };

describe('healthStatus', () => {
  it('is ok when every dependency answers', () => {
    expect(healthStatus(ok)).toBe('ok');
    expect(httpStatusFor('ok')).toBe(200);
  });

  it('is degraded, still 200, when LDAP or the broker fails: the load balancer keeps the instance', () => {
    expect(healthStatus({ ...ok, ldap: 'connect ECONNREFUSED 127.0.0.1:3389' })).toBe('degraded');
    expect(healthStatus({ ...ok, broker: 'broker did not answer in 3000 ms' })).toBe('degraded');
    expect(healthStatus({ ...ok, ldap: 'x', broker: 'y' })).toBe('degraded');
    expect(httpStatusFor('degraded')).toBe(200);
  });

  it('is down, 503, only when the database fails, whatever the others say', () => {
    expect(healthStatus({ ...ok, database: 'Access denied' })).toBe('down');
    expect(healthStatus({ database: 'x', ldap: 'y', broker: 'z' })).toBe('down');
    expect(httpStatusFor('down')).toBe(503);
  });
});

describe('pipelineHealth', () => {
  const now = new Date('2026-12-03T12:00:00.000Z');
  const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000);
  const ingester = (over: object) => ({ instance: 'a', destination: '/queue/nagios.events', connected: true, updatedAt: at(4), lastMessageAt: null, ...over });

  it('counts heartbeat ages and the lag from now, and a stale heartbeat is not connected', () => {
    const report = pipelineHealth(
      {
        ingesters: [ingester({ lastMessageAt: at(2) }), ingester({ instance: 'b', updatedAt: at(31) }), ingester({ instance: 'c', connected: false })],
        newestEventAt: at(12.4),
        deadLetters: 3,
        notificationBacklog: 7,
      },
      now,
    );
    expect(report).toEqual({
      ingesters: [
        { instance: 'a', destination: '/queue/nagios.events', connected: true, heartbeatAgeSeconds: 4, lastMessageAt: '2026-12-03T11:59:58.000Z' },
        { instance: 'b', destination: '/queue/nagios.events', connected: false, heartbeatAgeSeconds: 31, lastMessageAt: null },
        { instance: 'c', destination: '/queue/nagios.events', connected: false, heartbeatAgeSeconds: 4, lastMessageAt: null },
      ],
      lagSeconds: 12,
      deadLetters: 3,
      notificationBacklog: 7,
      queueDepth: null,
      queues: null,
    });
  });

  it('sums the queue depths the broker told', () => {
    const queues = [
      { queue: 'Consumer.a.VirtualTopic.nagios.events', messages: 120, consumers: 2 },
      { queue: 'Consumer.b.VirtualTopic.nagios.events', messages: 3, consumers: 0 },
    ];
    const report = pipelineHealth({ ingesters: [], newestEventAt: null, deadLetters: 0, notificationBacklog: 0 }, now, queues);
    expect(report).toMatchObject({ queueDepth: 123, queues });
  });

  it('has no lag without events, and a clock a little ahead never gives a negative age', () => {
    const report = pipelineHealth({ ingesters: [ingester({ updatedAt: at(-2) })], newestEventAt: null, deadLetters: 0, notificationBacklog: 0 }, now);
    expect(report.lagSeconds).toBeNull();
    expect(report.ingesters[0]!.heartbeatAgeSeconds).toBe(0);
  });
});
