import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import mysql from 'mysql2/promise';
import { DATA_DIR, stackConfig } from './config';
import { portIsOpen, readPid, startDetached, stopPid, waitFor } from './process';
import type { Service } from './service';

const dir = path.join(DATA_DIR, 'mariadb');
const dataDir = path.join(dir, 'data');
const pidFile = path.join(dir, 'mariadbd.pid');
// Unix socket paths are limited to 107 bytes; a deep checkout would overflow, so keep it short.
const socket = `/tmp/porthole-mariadb-${stackConfig.mariadbPort}.sock`;

function adminConnection() {
  return mysql.createConnection({ host: '127.0.0.1', port: stackConfig.mariadbPort, user: 'root', password: '' });
}

async function answers(): Promise<boolean> {
  try {
    const conn = await mysql.createConnection({
      host: '127.0.0.1',
      port: stackConfig.mariadbPort,
      user: stackConfig.dbUser,
      password: stackConfig.dbPassword,
      connectTimeout: 1000,
    });
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

/** The application user may create and use any database named porthole or porthole_*. */
async function provision(): Promise<void> {
  const conn = await adminConnection();
  try {
    const { dbUser, dbPassword, dbName } = stackConfig;
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.query(`CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?`, [dbUser, dbPassword]);
    await conn.query(`GRANT ALL ON \`porthole%\`.* TO ?@'%'`, [dbUser]);
  } finally {
    await conn.end();
  }
}

export const mariadb: Service = {
  name: 'MariaDB',
  port: () => stackConfig.mariadbPort,
  pid: () => readPid(pidFile),
  answers,

  async start() {
    mkdirSync(dir, { recursive: true });
    if (!existsSync(path.join(dataDir, 'mysql'))) {
      execFileSync(
        'mariadb-install-db',
        [
          '--no-defaults',
          `--datadir=${dataDir}`,
          ...(process.getuid?.() === 0 ? ['--user=root'] : []),
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
          '--innodb-log-file-size=128M', // room for bulk writes between checkpoints
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
    }
    const pid = startDetached(
      'mariadbd',
      [
        '--no-defaults', // must come first, or /etc/mysql/*.cnf is read
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        `--port=${stackConfig.mariadbPort}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        `--log-error=${path.join(dir, 'error.log')}`,
        '--innodb-buffer-pool-size=128M',
        '--innodb-log-file-size=128M', // room for bulk writes between checkpoints
        '--skip-log-bin',
        '--max-connections=300',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
      ],
      path.join(dir, 'stdout.log'),
      pidFile,
    );
    await waitFor('MariaDB', () => portIsOpen(stackConfig.mariadbPort), { pid, timeoutMs: 30_000 });
    await provision();
    return pid;
  },

  stop: () => stopPid('MariaDB', pidFile),
};
