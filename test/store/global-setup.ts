/*
 * The store suite's real server: a throwaway PostgreSQL cluster for the run
 * (scripts/pg-cluster.ts), stopped in the teardown and, as a backstop, by
 * the exit and signal handlers the script installs. Without PostgreSQL's
 * binaries the real-server tests skip with a message; with CI set they fail.
 */
import type { TestProject } from 'vitest/node';
import { findBindir, startCluster, type Cluster } from '../../scripts/pg-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pg: { connectionString: string; dataDir: string; bindir: string; user: string } | { missing: string };
  }
}

let cluster: Cluster | undefined;

export default async function setup(project: TestProject): Promise<() => void> {
  if (findBindir() === undefined) {
    const missing = 'PostgreSQL binaries not found (initdb, pg_ctl): the real-server store tests are skipped; PGlite ones run.';
    if (process.env.CI) throw new Error(`CI is set and ${missing}`);
    console.warn(`\n${missing}\n`);
    project.provide('pg', { missing });
    return () => undefined;
  }
  cluster = await startCluster();
  project.provide('pg', { connectionString: cluster.connectionString, dataDir: cluster.dataDir, bindir: cluster.bindir, user: cluster.user });
  return () => cluster?.stop();
}
