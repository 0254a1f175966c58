/*
 * xstate is a peer dependency (issue 17): the app's own xstate builds and
 * runs the machines the package hands out. This suite installs the built
 * package beside the lowest xstate the peer range allows (the devDependency
 * alias `xstate-lowest`) in a throwaway project under `.tmp/`, then
 * type-checks and runs a consumer that compiles a topic and drives its
 * machine with that copy's `createActor`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
let project = '';

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string>; devDependencies: Record<string, string> };
const lowest = JSON.parse(readFileSync(join(root, 'node_modules/xstate-lowest/package.json'), 'utf8')) as { version: string };

function run(args: readonly string[]) {
  const result = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  mkdirSync(join(root, '.tmp'), { recursive: true });
  project = realpathSync(mkdtempSync(join(root, '.tmp', 'xstate-lowest-')));
  const installed = join(project, 'node_modules/crm-topics');
  mkdirSync(installed, { recursive: true });
  cpSync(join(root, 'package.json'), join(installed, 'package.json'));
  cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
  // The app's own xstate: the lowest version of the peer range, found before the repository's.
  cpSync(join(root, 'node_modules/xstate-lowest'), join(project, 'node_modules/xstate'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(
    join(project, 'app.ts'),
    `import assert from 'node:assert/strict';
import { createActor, type SnapshotFrom } from 'xstate';
import { applyEvent, compileTopic, createDealActor, openDeal, standardTopic, type CompiledSalesTopic } from 'crm-topics';
import { topicRoutes } from 'crm-topics/testing';

const topic = compileTopic(standardTopic) as CompiledSalesTopic;
const opened = openDeal(topic, { id: 'd-1', clientId: 'c-1', ownerId: 'u-1', at: 0 });
if (!opened.ok) throw new Error('not opened');
const actor = createActor(topic.machine, { input: { deal: opened.deal } }).start();
const effects: string[] = [];
actor.on('*', (effect) => effects.push(effect.type));
actor.send({ type: 'recordOutcome', outcomeId: 'qualified', at: 1, actor: { id: 'u-1' } });
const snapshot: SnapshotFrom<typeof topic.machine> = actor.getSnapshot();
assert.equal(snapshot.value, 'acquaintance');
const applied = applyEvent(topic, opened.deal, { type: 'recordOutcome', outcomeId: 'qualified', at: 1, actor: { id: 'u-1' } });
if (!applied.ok) throw new Error('not applied');
assert.equal(snapshot.context.deal.stageId, applied.deal.stageId);
assert.equal(createDealActor(topic, snapshot.context.deal).start().getSnapshot().value, 'acquaintance');
assert.equal(topicRoutes(standardTopic).length, 7);
// @ts-expect-error the machine's events are typed: an unknown event type does not compile
actor.send({ type: 'noSuchEvent' });
console.log('xstate', (await import('xstate/package.json', { with: { type: 'json' } })).default.version);
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: 'es2022', module: 'node16', moduleResolution: 'node16', resolveJsonModule: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')] }, files: ['app.ts'] }),
  );
}, 60_000);

afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true });
});

describe('with the lowest xstate of the peer range', () => {
  it('is the range the package declares, and xstate is not a dependency of its own', () => {
    expect(manifest.peerDependencies.xstate).toBe(`^${lowest.version}`);
    expect(manifest.devDependencies['xstate-lowest']).toBe(`npm:xstate@${lowest.version}`);
    expect((manifest as { dependencies?: Record<string, string> }).dependencies?.xstate).toBeUndefined();
  });

  it("type-checks createActor(topic.machine) against that copy's declarations", () => {
    const result = run([join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it("builds and runs a compiled topic's machine with that copy's createActor", () => {
    const result = run(['--import', 'tsx', 'app.ts']);
    expect(result.output.trim()).toBe(`xstate ${lowest.version}`);
    expect(result.code).toBe(0);
  }, 60_000);
});
