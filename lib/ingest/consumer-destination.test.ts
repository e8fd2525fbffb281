import { describe, expect, it } from 'vitest';
import { consumerDestination } from './ingester';

describe('consumerDestination', () => {
  it('consumes a queue as it is: several ingesters compete on it', () => {
    expect(consumerDestination('/queue/nagios.events', 'porthole-ingester')).toEqual({ destination: '/queue/nagios.events', durable: false });
  });

  it('turns a virtual topic into its shared consumer queue, named by the subscription', () => {
    expect(consumerDestination('/topic/VirtualTopic.nagios.events', 'porthole-ingester')).toEqual({
      destination: '/queue/Consumer.porthole-ingester.VirtualTopic.nagios.events',
      durable: false,
    });
  });

  it('keeps a durable subscription for any other topic (one ingester per client-id)', () => {
    expect(consumerDestination('/topic/nagios.events', 'x')).toEqual({ destination: '/topic/nagios.events', durable: true });
    expect(consumerDestination('/topic/Virtualtopic.nagios', 'x').durable).toBe(true);
  });
});
