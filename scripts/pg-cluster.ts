/*
 * A throwaway PostgreSQL cluster for the store's tests and bench: initdb in a
 * temporary directory, a server on 127.0.0.1 at a free port, stopped and
 * removed at the end whatever happens (the caller's stop(), and exit and
 * signal handlers as a backstop). Run as root, the cluster belongs to an
 * unprivileged user (initdb refuses root): `postgres` if it exists, else `nobody`.
 *
 * Run it alone with `npx tsx scripts/pg-cluster.ts` to get a server until Ctrl-C.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly connectionString: string;
  readonly bindir: string;
  readonly dataDir: string;
  /** Runs a PostgreSQL program of the cluster's binaries as the cluster's owner; returns its stdout. */
  run(program: string, args: readonly string[]): string;
  /** Stops the server (fast shutdown) and starts it again on the same port. */
  restart(): void;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): void;
}

/** Where PostgreSQL's binaries are: $PG_BINDIR, `pg_config --bindir`, or the Debian path of version 15; undefined if none has initdb. */
export function findBindir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // no pg_config on the PATH
  }
  candidates.push('/usr/lib/postgresql/15/bin');
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The unprivileged account to run as when we are root, with its uid and gid. */
function owner(): { name: string; uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const found = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (found.status !== 0) continue;
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    return { name, uid: Number(found.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('running as root and neither a "postgres" nor a "nobody" user exists to own the cluster');
}

const live = new Set<Cluster>();
let handlersInstalled = false;
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const stopAll = () => {
    for (const cluster of live) cluster.stop();
  };
  process.once('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stopAll();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Starts a fresh cluster; throws when the binaries are missing or the server does not come up. */
export async function startCluster(options: { readonly settings?: Readonly<Record<string, string>> } = {}): Promise<Cluster> {
  const bindir = findBindir();
  if (bindir === undefined) throw new Error('PostgreSQL binaries not found (set PG_BINDIR or put pg_config on the PATH)');
  const account = owner();
  const base = mkdtempSync(join(tmpdir(), 'crm-topics-pg-'));
  const dataDir = join(base, 'data');
  const logFile = join(base, 'server.log');
  if (account !== undefined) {
    chownSync(base, account.uid, account.gid);
    chmodSync(base, 0o700);
  }
  const run = (program: string, args: readonly string[]): string => {
    const command = account === undefined ? [join(bindir, program), ...args] : ['runuser', '-u', account.name, '--', join(bindir, program), ...args];
    const [file, ...rest] = command as [string, ...string[]];
    const result = spawnSync(file, rest, { encoding: 'utf8', cwd: base, maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  const user = 'crm';
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: base,
    max_connections: '100',
    fsync: 'off',
    full_page_writes: 'off',
    shared_buffers: '128MB',
    ...options.settings,
  };
  const serverOptions = Object.entries(settings)
    .map(([key, value]) => `-c ${key}=${value}`)
    .join(' ');
  let stopped = false;
  const start = () => run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
  const cluster: Cluster = {
    host: '127.0.0.1',
    port,
    user,
    database: 'postgres',
    connectionString: `postgres://${user}@127.0.0.1:${port}/postgres`,
    bindir,
    dataDir,
    run,
    restart() {
      run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      start();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      live.delete(cluster);
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // not running (it never started, or was stopped already)
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
  live.add(cluster);
  installHandlers();
  try {
    run('initdb', ['-D', dataDir, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    start();
  } catch (error) {
    cluster.stop();
    throw error;
  }
  return cluster;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cluster = await startCluster();
  console.log(`PostgreSQL at ${cluster.connectionString} (data in ${cluster.dataDir}); Ctrl-C stops it.`);
  setInterval(() => undefined, 1 << 30);
}
