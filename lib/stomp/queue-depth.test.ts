import { describe, expect, it } from 'vitest';
import { parseStatisticsMap, statisticsPattern } from './queue-depth';

describe('statisticsPattern', () => {
  it('counts a queue itself, a virtual topic by its consumer queues, and nothing for a plain topic', () => {
    expect(statisticsPattern('/queue/nagios.events')).toBe('nagios.events');
    expect(statisticsPattern('/topic/VirtualTopic.nagios.events')).toBe('Consumer.*.VirtualTopic.nagios.events');
    expect(statisticsPattern('/topic/nagios.events')).toBeNull();
    expect(statisticsPattern('nagios.events')).toBeNull();
  });
});

describe('parseStatisticsMap', () => {
  it('reads ActiveMQ 5.17\'s jms-map-json: numbers under their type, strings as pairs', () => {
    const body =
      '{"map":{"entry":[{"string":"dequeueCount","long":0},{"string":["brokerId","ID:vm-1"]},{"string":"consumerCount","long":2},' +
      '{"string":"averageEnqueueTime","double":1.5},{"string":"size","long":5},{"string":["destinationName","queue:\\/\\/test.q"]}]}}';
    expect(parseStatisticsMap(body)).toEqual({ dequeueCount: 0, brokerId: 'ID:vm-1', consumerCount: 2, averageEnqueueTime: 1.5, size: 5, destinationName: 'queue://test.q' });
  });

  it('takes a single entry (not an array), and an empty or foreign body as no figures', () => {
    expect(parseStatisticsMap('{"map":{"entry":{"string":"size","long":7}}}')).toEqual({ size: 7 });
    expect(parseStatisticsMap('{}')).toEqual({});
    expect(parseStatisticsMap('{"map":{"entry":[{"string":{"x":1}},{"nothing":1},null]}}')).toEqual({});
    expect(() => parseStatisticsMap('')).toThrow();
  });
});
