import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { probeBroker } from '../../lib/stomp/connect';
import { DATA_DIR, stackConfig } from './config';
import { portIsOpen, readPid, startDetached, stopPid, waitFor } from './process';
import type { Service } from './service';

const dir = path.join(DATA_DIR, 'activemq');
const confDir = path.join(dir, 'conf');
const pidFile = path.join(dir, 'broker.pid');

// Debian's activemq.xml has no STOMP connector and its wrapper forces a 512 MB heap and
// /var/lib/activemq, so we run the jar directly with a config of our own.
const ACTIVEMQ_XML = `<beans xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer"/>
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="porthole" useJmx="false"
          dataDirectory="\${activemq.data}" schedulerSupport="false" advisorySupport="false"
          schedulePeriodForDestinationPurge="30000">
    <!-- Answers ActiveMQ.Statistics.Destination.<queue>: /api/health's queue depth (lib/stomp/queue-depth.ts). -->
    <plugins><statisticsBrokerPlugin/></plugins>
    <destinationPolicy>
      <policyMap>
        <policyEntries>
          <!-- Empty queues nobody uses are removed, so test and benchmark destinations do not pile up. -->
          <policyEntry queue=">" gcInactiveDestinations="true" inactiveTimoutBeforeGC="60000"/>
        </policyEntries>
      </policyMap>
    </destinationPolicy>
    <persistenceAdapter>
      <kahaDB directory="\${activemq.data}/kahadb" journalMaxFileLength="16mb"
              journalDiskSyncStrategy="\${kahadb.sync}"/>
    </persistenceAdapter>
    <systemUsage>
      <systemUsage>
        <memoryUsage><memoryUsage limit="128 mb"/></memoryUsage>
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
log4j.appender.logfile=org.apache.log4j.RollingFileAppender
log4j.appender.logfile.file=\${activemq.data}/activemq.log
log4j.appender.logfile.maxFileSize=4MB
log4j.appender.logfile.maxBackupIndex=2
log4j.appender.logfile.layout=org.apache.log4j.PatternLayout
log4j.appender.logfile.layout.ConversionPattern=%d | %-5p | %m | %c | %t%n
`;

/**
 * XStream and Jettison, which STOMP's jms-map-json transformation needs to carry the statistics plugin's
 * MapMessages: upstream's distribution has them in lib/optional, Debian's package not at all. The broker
 * loads every jar of ${activemq.base}/lib.
 */
export const BROKER_EXTRA_JARS = ['/usr/share/java/xstream.jar', '/usr/share/java/jettison.jar', '/usr/share/java/xpp3-min.jar'];

function linkExtraJars(base: string): void {
  const lib = path.join(base, 'lib');
  mkdirSync(lib, { recursive: true });
  for (const jar of BROKER_EXTRA_JARS) {
    const link = path.join(lib, path.basename(jar));
    if (existsSync(jar) && !existsSync(link)) symlinkSync(jar, link);
  }
}

/** A STOMP session opens: the broker is up, not just its socket. */
const answers = (): Promise<boolean> =>
  probeBroker({ host: '127.0.0.1', port: stackConfig.stompPort }).then(
    () => true,
    () => false,
  );

export const activemq: Service = {
  name: 'ActiveMQ',
  port: () => stackConfig.stompPort,
  pid: () => readPid(pidFile),
  answers,

  async start() {
    for (const sub of ['conf', 'data', 'tmp']) mkdirSync(path.join(dir, sub), { recursive: true });
    writeFileSync(path.join(confDir, 'activemq.xml'), ACTIVEMQ_XML);
    writeFileSync(path.join(confDir, 'log4j.properties'), LOG4J);
    linkExtraJars(dir);
    const pid = startDetached(
      'java',
      [
        '-Xms64m',
        '-Xmx512m',
        '-XX:+UseSerialGC',
        '-Dactivemq.home=/usr/share/activemq',
        `-Dactivemq.base=${dir}`,
        `-Dactivemq.conf=${confDir}`,
        `-Dactivemq.data=${path.join(dir, 'data')}`,
        `-Djava.io.tmpdir=${path.join(dir, 'tmp')}`,
        `-Dlog4j.configuration=file:${path.join(confDir, 'log4j.properties')}`,
        `-Dstomp.port=${stackConfig.stompPort}`,
        `-Dopenwire.port=${stackConfig.openwirePort}`,
        `-Dkahadb.sync=${stackConfig.activemqSync}`,
        '-jar',
        '/usr/share/activemq/bin/activemq.jar',
        'start',
        `xbean:file:${path.join(confDir, 'activemq.xml')}`,
      ],
      path.join(dir, 'stdout.log'),
      pidFile,
    );
    await waitFor('ActiveMQ', async () => (await portIsOpen(stackConfig.stompPort)) && answers(), {
      pid,
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    return pid;
  },

  stop: () => stopPid('ActiveMQ', pidFile),
};
