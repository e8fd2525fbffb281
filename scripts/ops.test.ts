// ops/: the systemd units verified by systemd-analyze, and kept honest against the code (the processes
// build-processes.ts bundles, the ingester's flags); the daemontools run scripts saying the same; the
// reverse proxy examples doing what README's "Production" promises.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INGESTER_NODE_FLAGS } from '../lib/ingest/command';
import { WEB_NODE_FLAGS } from '../lib/http/web-command';
import { PROCESSES } from './build-processes';

const OPS = path.join(import.meta.dirname, '..', 'ops');
const SYSTEMD = path.join(OPS, 'systemd');
const DAEMONTOOLS = path.join(OPS, 'daemontools');
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const NGINX = '/usr/sbin/nginx';

const units = readdirSync(SYSTEMD).filter((f) => /\.(service|timer|target)$/.test(f));
const read = (file: string) => readFileSync(path.join(SYSTEMD, file), 'utf8');

/** `Key=value` lines of one section (comments and blank lines skipped). */
function section(text: string, name: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^\[.+\]$/.test(line)) current = line.slice(1, -1);
    else if (current === name) {
      const at = line.indexOf('=');
      const key = line.slice(0, at);
      values.set(key, [...(values.get(key) ?? []), line.slice(at + 1)]);
    }
  }
  return values;
}

const service = (file: string) => section(read(file), 'Service');
/** The long-running processes of a portal host. */
const daemons = units.filter((f) => f.endsWith('.service') && service(f).get('Type')?.[0] === 'exec');

describe('ops/systemd', () => {
  it('has a unit per process the portal runs, a migration unit, the retention and rollup timers, a target and the Nagios host’s spool-flush timer', () => {
    expect(units.sort()).toEqual([
      'porthole-ingester.service',
      'porthole-migrate.service',
      'porthole-notifier.service',
      'porthole-provisioning.service',
      'porthole-retention.service',
      'porthole-retention.timer',
      'porthole-rollup.service',
      'porthole-rollup.timer',
      'porthole-spool-flush.service',
      'porthole-spool-flush.timer',
      'porthole-web.service',
      'porthole.target',
    ]);
  });

  it.skipIf(!existsSync(SYSTEMD_ANALYZE))(
    `passes systemd-analyze verify without a single warning${existsSync(SYSTEMD_ANALYZE) ? '' : ` (SKIPPED: no ${SYSTEMD_ANALYZE}; npm run stack installs Debian's systemd package)`}`,
    () => {
      // --man=no: Documentation= is not looked up. ExecStart names /usr/bin/node, which verify checks exists.
      const result = spawnSync(SYSTEMD_ANALYZE, ['verify', '--man=no', ...units.map((u) => path.join(SYSTEMD, u))], { encoding: 'utf8', cwd: SYSTEMD });
      expect({ status: result.status, output: `${result.stdout}${result.stderr}`.trim() }).toEqual({ status: 0, output: '' });
    },
  );

  it('finds a fault when there is one (the check is not silent by accident)', { skip: !existsSync(SYSTEMD_ANALYZE) }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'porthole-units-'));
    writeFileSync(path.join(dir, 'broken.service'), read('porthole-notifier.service').replace('NoNewPrivileges=yes', 'NoNewPrivileges=yes\nProtectEverything=yes'));
    const result = spawnSync(SYSTEMD_ANALYZE, ['verify', '--man=no', path.join(dir, 'broken.service')], { encoding: 'utf8' });
    expect(result.stderr).toContain("Unknown key 'ProtectEverything'");
  });

  it.each(daemons)('%s restarts on failure, as the porthole user, with the env file and the full hardening', (file) => {
    const s = service(file);
    const web = service('porthole-web.service');
    expect(s.get('Restart')).toEqual(['on-failure']);
    expect(s.get('User')).toEqual(['porthole']);
    expect(s.get('EnvironmentFile')).toEqual(['/etc/porthole/porthole.env']);
    expect(s.get('WorkingDirectory')).toEqual(['/opt/porthole']);
    for (const key of ['NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp', 'PrivateDevices', 'CapabilityBoundingSet', 'SystemCallFilter', 'RestrictAddressFamilies']) {
      expect(s.get(key), key).toEqual(web.get(key));
    }
    expect(s.get('ProtectSystem')).toEqual(['strict']);
    // V8 compiles code into writable memory: this option would kill node at start.
    expect(s.has('MemoryDenyWriteExecute')).toBe(false);
    expect(section(read(file), 'Unit').get('PartOf')).toEqual(['porthole.target']);
  });

  it('starts exactly what production runs: server.mjs and each bundle of build-processes.ts, with the ingester’s flags', () => {
    const execs = Object.fromEntries(units.filter((f) => f.endsWith('.service')).map((f) => [f, service(f).get('ExecStart')?.[0]]));
    expect(execs['porthole-web.service']).toBe(`/usr/bin/node ${WEB_NODE_FLAGS.join(' ')} server.mjs`);
    expect(execs['porthole-ingester.service']).toBe(`/usr/bin/node ${INGESTER_NODE_FLAGS.join(' ')} dist/ingester.js`);
    for (const name of Object.keys(PROCESSES).filter((n) => n !== 'ingester')) {
      expect(execs[`porthole-${name}.service`], name).toBe(`/usr/bin/node dist/${name}.js`);
    }
    expect(execs['porthole-spool-flush.service']).toBe('/usr/bin/node /usr/local/bin/porthole-spool-flush');
    expect(execs['porthole-rollup.service']).toBe('/usr/bin/node dist/retention.js --rollups');
  });

  it('npm start and npm run ingester pass the same flags as the units', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.start).toBe(`node ${WEB_NODE_FLAGS.join(' ')} server.mjs`);
    expect(scripts.ingester).toBe(`node ${INGESTER_NODE_FLAGS.join(' ')} dist/ingester.js`);
  });

  it('every timer has its service, and every oneshot is one that ends', () => {
    for (const timer of units.filter((f) => f.endsWith('.timer'))) expect(units).toContain(timer.replace(/\.timer$/, '.service'));
    const oneshots = units.filter((f) => f.endsWith('.service') && !daemons.includes(f));
    expect(oneshots.sort()).toEqual(['porthole-migrate.service', 'porthole-retention.service', 'porthole-rollup.service', 'porthole-spool-flush.service']);
    for (const f of oneshots) expect(service(f).get('Type')).toEqual(['oneshot']);
  });
});

describe('ops/daemontools', () => {
  const services = readdirSync(DAEMONTOOLS).sort();

  it('has a service directory per long-running process, running what its systemd unit runs', () => {
    expect(services).toEqual(daemons.map((f) => f.replace(/\.service$/, '')).sort());
    for (const name of services) {
      const run = readFileSync(path.join(DAEMONTOOLS, name, 'run'), 'utf8');
      expect(run).toContain(`exec setuidgid porthole ${service(`${name}.service`).get('ExecStart')![0]}\n`);
      expect(run).toContain('. /etc/porthole/porthole.env');
    }
  });

  it('run scripts are executable and valid sh', () => {
    for (const name of services) {
      for (const file of [path.join(DAEMONTOOLS, name, 'run'), path.join(DAEMONTOOLS, name, 'log', 'run')]) {
        expect(statSync(file).mode & 0o111, file).toBe(0o111);
        expect(spawnSync('sh', ['-n', file]).status, file).toBe(0);
      }
    }
  });
});

describe('ops reverse proxy examples', () => {
  const nginx = readFileSync(path.join(OPS, 'nginx', 'porthole.conf'), 'utf8');
  const apache = readFileSync(path.join(OPS, 'apache', 'porthole.conf'), 'utf8');

  it('nginx: TLS, forwarding headers, the user header cleared, the streams unbuffered with a long read timeout', () => {
    expect(nginx).toMatch(/listen 443 ssl/);
    expect(nginx).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    expect(nginx).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
    expect(nginx).toContain('proxy_set_header X-Remote-User "";');
    const stream = nginx.slice(nginx.indexOf('location ~ ^/api/v1/vms/[^/]+/stream$'));
    expect(stream.slice(0, stream.indexOf('}'))).toMatch(/proxy_buffering off;[\s\S]*proxy_read_timeout 1h;/);
    expect('/api/v1/vms/42/stream').toMatch(/^\/api\/v1\/vms\/[^/]+\/stream$/);
  });

  it('Apache: TLS, forwarding headers, the user header removed early, the streams flushed at once', () => {
    expect(apache).toContain('SSLEngine on');
    expect(apache).toContain('RequestHeader set X-Forwarded-Proto "https"');
    expect(apache).toContain('RequestHeader unset X-Remote-User early');
    expect(apache).toMatch(/ProxyPassMatch "\^\(\/api\/v1\/vms\/\[\^\/\]\+\/stream\)\$" "http:\/\/127\.0\.0\.1:3000\$1" flushpackets=on timeout=3600/);
    // The first match wins: the streams' rule must come before the catch-all.
    expect(apache.indexOf('ProxyPassMatch')).toBeLessThan(apache.indexOf('ProxyPass        /'));
  });

  it.skipIf(!existsSync(NGINX))(`nginx -t accepts the example${existsSync(NGINX) ? '' : ` (SKIPPED: no ${NGINX}; not installed for this test alone)`}`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'porthole-nginx-'));
    const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=portal.example.com', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`]);
    expect(cert.status).toBe(0);
    const site = nginx.replace('/etc/ssl/certs/portal.example.com.pem', `${dir}/cert.pem`).replace('/etc/ssl/private/portal.example.com.key', `${dir}/key.pem`);
    writeFileSync(path.join(dir, 'site.conf'), site);
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir};\n  proxy_temp_path ${dir};\n  include ${dir}/site.conf;\n}\n`,
    );
    const result = spawnSync(NGINX, ['-t', '-q', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
