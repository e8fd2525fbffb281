import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { probeBroker } from '../stomp/connect';

// An ActiveMQ master/slave pair on one shared KahaDB directory with its file lock (SERVICES.md,
// "ActiveMQ 5.17 master/slave on one store"), as the HA integration tests and `npm run test:ha` start
// it: each broker is a child of this process (reaped at once, killable with SIGKILL), with its own base
// directory and ports under `dir`. The one that holds the lock listens; the other does not listen at
// all until the master dies and it takes the lock (about 1-2 s with a 500 ms lock interval).

const brokerXml = (name: string) => `<beans xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer"/>
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="${name}" useJmx="false"
          dataDirectory="\${activemq.data}" schedulerSupport="false" advisorySupport="false">
    <persistenceAdapter>
      <kahaDB directory="\${shared.dir}/kahadb" journalMaxFileLength="16mb" journalDiskSyncStrategy="always">
        <locker><shared-file-locker lockAcquireSleepInterval="500"/></locker>
      </kahaDB>
    </persistenceAdapter>
    <systemUsage>
      <systemUsage>
        <memoryUsage><memoryUsage limit="96 mb"/></memoryUsage>
        <storeUsage><storeUsage limit="2 gb"/></storeUsage>
        <tempUsage><tempUsage limit="512 mb"/></tempUsage>
      </systemUsage>
    </systemUsage>
    <transportConnectors>
      <transportConnector name="openwire" uri="tcp://127.0.0.1:\${openwire.port}"/>
      <transportConnector name="stomp" uri="stomp+nio://127.0.0.1:\${stomp.port}?transport.closeAsync=false"/>
    </transportConnectors>
  </broker>
</beans>
`;

const LOG4J = `log4j.rootLogger=INFO, logfile
log4j.appender.logfile=org.apache.log4j.FileAppender
log4j.appender.logfile.file=\${activemq.data}/activemq.log
log4j.appender.logfile.layout=org.apache.log4j.PatternLayout
log4j.appender.logfile.layout.ConversionPattern=%d | %-5p | %m | %c | %t%n
`;

export interface BrokerSpec {
  name: string;
  stompPort: number;
  openwirePort: number;
}

export interface PairOptions {
  /** Everything goes below this directory: `<dir>/shared/kahadb`, `<dir>/<name>/{conf,data,tmp}`. */
  dir: string;
  brokers: [BrokerSpec, BrokerSpec];
  heap?: string;
}

const answers = (port: number) =>
  probeBroker({ host: '127.0.0.1', port }, 1_500).then(
    () => true,
    () => false,
  );

export class BrokerPair {
  private readonly children = new Map<string, ChildProcess>();

  constructor(private readonly o: PairOptions) {}

  /** `failover:(stomp://127.0.0.1:A,stomp://127.0.0.1:B)`, what the CLIs and workers are given. */
  get url(): string {
    return `failover:(${this.o.brokers.map((b) => `stomp://127.0.0.1:${b.stompPort}`).join(',')})`;
  }

  get brokers(): readonly BrokerSpec[] {
    return this.o.brokers;
  }

  /** Starts one broker (it becomes master if the lock is free, else waits as slave). */
  startBroker(name: string): void {
    const spec = this.o.brokers.find((b) => b.name === name);
    if (!spec) throw new Error(`no broker ${name}`);
    if (this.isRunning(name)) return;
    const base = path.join(this.o.dir, name);
    for (const sub of ['conf', 'data', 'tmp']) mkdirSync(path.join(base, sub), { recursive: true });
    mkdirSync(path.join(this.o.dir, 'shared'), { recursive: true });
    writeFileSync(path.join(base, 'conf', 'activemq.xml'), brokerXml(name));
    writeFileSync(path.join(base, 'conf', 'log4j.properties'), LOG4J);
    const log = openSync(path.join(base, 'stdout.log'), 'a');
    const child = spawn(
      'java',
      [
        '-Xms64m',
        `-Xmx${this.o.heap ?? '256m'}`,
        '-XX:+UseSerialGC',
        '-Dactivemq.home=/usr/share/activemq',
        `-Dactivemq.base=${base}`,
        `-Dactivemq.conf=${path.join(base, 'conf')}`,
        `-Dactivemq.data=${path.join(base, 'data')}`,
        `-Djava.io.tmpdir=${path.join(base, 'tmp')}`,
        `-Dlog4j.configuration=file:${path.join(base, 'conf', 'log4j.properties')}`,
        `-Dshared.dir=${path.join(this.o.dir, 'shared')}`,
        `-Dstomp.port=${spec.stompPort}`,
        `-Dopenwire.port=${spec.openwirePort}`,
        '-jar',
        '/usr/share/activemq/bin/activemq.jar',
        'start',
        `xbean:file:${path.join(base, 'conf', 'activemq.xml')}`,
      ],
      { stdio: ['ignore', log, log] },
    );
    this.children.set(name, child);
    child.once('exit', () => {
      if (this.children.get(name) === child) this.children.delete(name);
    });
  }

  isRunning(name: string): boolean {
    const child = this.children.get(name);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** The broker that answers STOMP now (the master), or null. */
  async master(): Promise<BrokerSpec | null> {
    for (const b of this.o.brokers) if (this.isRunning(b.name) && (await answers(b.stompPort))) return b;
    return null;
  }

  /** Waits until some broker answers STOMP; resolves with it and how long that took. */
  async waitForMaster(timeoutMs = 60_000): Promise<{ broker: BrokerSpec; ms: number }> {
    const started = Date.now();
    for (;;) {
      const m = await this.master();
      if (m) return { broker: m, ms: Date.now() - started };
      if (Date.now() - started > timeoutMs) throw new Error(`no broker of the pair answered after ${timeoutMs} ms (logs under ${this.o.dir})`);
      if (this.o.brokers.every((b) => !this.isRunning(b.name))) throw new Error(`both brokers exited (logs under ${this.o.dir})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The first broker as master, then the second as its slave. */
  async start(): Promise<void> {
    this.startBroker(this.o.brokers[0].name);
    await this.waitForMaster();
    this.startBroker(this.o.brokers[1].name);
  }

  /** Ends a broker's process with `signal` and waits until it is gone. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.children.get(name);
    if (!child || !this.isRunning(name)) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await gone;
  }

  async stop(): Promise<void> {
    await Promise.all(this.o.brokers.map((b) => this.kill(b.name, 'SIGTERM')));
  }
}
