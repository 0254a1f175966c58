/*
 * Runs every script in examples/ as a subprocess, the way a reader runs it,
 * and checks what it prints: specific lines and figures, not only the exit
 * code. The .ts scripts run under tsx (which maps `crm-topics` to src/);
 * the vitest example runs under vitest with examples/vitest.config.ts and
 * resolves `crm-topics` to dist/, so it needs `npm run build` first (npm
 * test builds before it runs vitest). Also checks `npm run example`'s
 * runner: the list, an unknown name, and the example's exit code.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Per subprocess; the tests allow the same, since several run at once next to the rest of the suite. */
const TIMEOUT = 120_000;

interface Output {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs node with the arguments in the repository root, without the variables of the vitest that runs this file. */
function node(args: readonly string[]): Promise<Output> {
  const inherited = Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'TEST');
  const env: NodeJS.ProcessEnv = { ...Object.fromEntries(inherited), NO_COLOR: '1', FORCE_COLOR: '0', NODE_OPTIONS: '' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, timeout: TIMEOUT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs an example script under tsx and returns its output, failing with its stderr when it does not exit with 0. */
async function example(name: string): Promise<string> {
  const result = await node(['--import', 'tsx', `examples/${name}.ts`]);
  expect(result.code, `${name} exited with ${result.code}:\n${result.stderr}`).toBe(0);
  return result.stdout;
}

/** The lines of the output, for checks that must match a whole line. */
const lines = (text: string) => text.split('\n');

describe.concurrent('the examples', { timeout: TIMEOUT }, () => {
  it('lists exactly the scripts this suite checks', ({ expect }) => {
    const scripts = readdirSync(join(root, 'examples'))
      .filter((file) => file.endsWith('.ts'))
      .sort();
    expect(scripts).toEqual([
      'audit-topic.ts',
      'live-actor.ts',
      'migrate-deals.ts',
      'overdue-job.ts',
      'simulate-standard.ts',
      'store-deals.ts',
      'validate-topics.test.ts',
      'vitest.config.ts',
      'walk-new-clients.ts',
    ]);
  });

  it('walk-new-clients: planning, a cyclic stay, a moved deadline and the effects of the final contact', async ({ expect }) => {
    const out = lines(await example('walk-new-clients'));
    expect(out).toContain('Topic "Новые клиенты" (new-clients v1): acquaintance → offer → invoice → payment → shipment');
    expect(out).toContain('Opened deal-1 in "acquaintance": stage due 2026-01-14T09:00Z, deal due 2026-02-11T09:00Z, revision 1');
    expect(out).toContain('  [Клиент заинтересовался] interested → offer; disabled: planning_required');
    expect(out).toContain('  [Клиент не заинтересовался] not-interested → finish negative (global); enabled; needs kind');
    expect(out).toContain('checkPlanning: planning_required (S33)');
    expect(out.some((line) => line.startsWith('✗ could not reach the client, nothing planned: planning_required (S33) at plan:'))).toBe(true);
    expect(out).toContain('  still in "acquaintance", stage entered 2026-01-12T09:00Z, stage due 2026-01-14T09:00Z: the cyclic outcome kept the clock');
    expect(out).toContain('✓ client interested (records call-2, plans meeting-1): open in "offer", revision 4; effects: suggestDocuments');
    expect(out).toContain('✓ request a new deadline: open in "offer", revision 5; effects: requestApproval');
    expect(out.some((line) => line.startsWith('✗ a colleague approves: not_an_approver (S25)'))).toBe(true);
    expect(out).toContain('  deal due 2026-02-11T09:00Z → 2026-02-26T09:00Z');
    expect(out.some((line) => line.startsWith('✗ paid, without the delivery date: required_fields_missing'))).toBe(true);
    expect(out).toContain('  S4  remove meeting-2 (by manager-2) from the planned-events registry');
    expect(out).toContain('  S5  assign client-1 to the team as well (shared assignment)');
    expect(out).toContain('  S35 cancel the planned activities meeting-1, call-3, call-4');
    expect(out).toContain('  S35 cancel the unpaid invoices of client-1 for deal-1');
    expect(out).toContain('  S34 deal deal-1 closed: positive');
    expect(out).toContain('Finished: closed, positive by shipped; 11 log entries, revision 11');
  });

  it('simulate-standard: the funnel of seed 1, two what-ifs and a SimulationError', async ({ expect }) => {
    const text = await example('simulate-standard');
    const out = lines(text);
    expect(out[0]).toBe('Funnel: Стандартная тема (standard v1), at 2026-02-23 00:12 UTC');
    expect(out).toContain('Deals: 1000; counted 1000 (open 0, finished 0, closed 1000); negotiations ongoing 0 (excluded, S11); skipped 0');
    expect(out).toContain('Win rate: 50.0% (500 positive of 1000 finished)');
    expect(text).toMatch(/^Новый\s+1000\s+1000\s+89\.0%\s+50\.0%\s+8h 35m\s+1d 3h\s+P1D\s+12\.3%/m);
    expect(out).toContain('Baseline: 5628 events accepted, 0 rejected; win rate 50.0%');
    expect(out).toContain('What-if (offer refused 0.25 instead of 1): win rate 55.3%');
    expect(out).toContain('  baseline offer: 743 deals, to next 86.4%, lost there 101');
    expect(out).toContain('At 2026-01-26T09:00:00.000Z (until): 290 open, 710 closed, 0 finished');
    expect(out).toContain('Open pipeline 13,346,400; weighted 6,468,980');
    expect(out).toContain('  weights.ofer: unknown_stage');
    expect(out).toContain('  weights.payment.paid: invalid_weight');
  });

  it('live-actor: emitted effects, a silent rejection, JSON persistence and the pure transition', async ({ expect }) => {
    const out = lines(await example('live-actor'));
    expect(out).toContain('Started: state "new", revision 1, tags [open]');
    expect(out).toContain('After two outcomes: state "offer", revision 3, tags [open]');
    expect(out).toContain('Rejected "shipped" in the offer: snapshot unchanged true; reason: unknown_outcome: Outcome "shipped" is not offered in stage "offer".');
    expect(out).toContain('Restored: state "offer", revision 3, tags [open]');
    expect(out).toContain('Finished: state "closed:positive", revision 6, tags [closed]; deal closed, positive');
    expect(out).toContain('Effects emitted in all: suggestDocuments, suggestDocuments, cancelUnpaidInvoices, dealClosed');
    expect(out).toContain('From the stored deal alone: state "closed:positive", revision 6, tags [closed]');
    expect(out).toContain('Pure transition: state "offer", revision 3, tags [open]; emitted ["suggestDocuments"]');
    expect(out).toContain('Same deal as applyEvent gives: true');
  });

  it('audit-topic: Yes/No with kinds and comments, the lint rule, the machine and a service topic', async ({ expect }) => {
    const out = lines(await example('audit-topic'));
    expect(out).toContain('Lint: error audit_kind_without_comment (S37) at outcomeKinds[0].commentRequired');
    expect(out).toContain('✗ no answer: answer_required (S37) at answer');
    expect(out).toContain('✗ "no" without a kind: kind_required (S37) at kindId');
    expect(out).toContain('✗ "no" with a positive kind: kind_not_allowed (S37) at kindId');
    expect(out).toContain('✗ "no" without the comment: comment_required (S37) at comment');
    expect(out).toContain('✓ "no", out of stock, with a comment: recorded, answer no, kind no-stock');
    expect(out).toContain('Recording it twice: event_not_planned');
    expect(out).toContain('Visits: 5; yes 2, no 2, cancelled 1');
    expect(out).toContain('Machine after a record without a kind: planned');
    expect(out).toContain('Machine after a proper record: recorded, status done, event revision 2');
    expect(out).toContain('Service event with an answer: invalid_event at answer');
    expect(out).toContain('Service event recorded: recorded, comment "Filter replaced", closed by auditor-1');
  });

  it('migrate-deals: S2, the diff, a conflict without a mapping, the migration and stale deals', async ({ expect }) => {
    const out = lines(await example('migrate-deals'));
    expect(out).toContain('A manager edits: not_permitted (S2)');
    expect(out).toContain('The director edits: version 1 → 2, stages new, acquaintance, offer, shipment');
    expect(out).toContain('  stage-removed        stages[3]: Stage "payment" ("Оплата") removed (was at position 4).');
    expect(out).toContain('  stage-limit-changed  stages[2].maxDuration: Stage "offer": maxDuration P3D → P2D.');
    expect(out).toContain('  outcome-retargeted   stages[2].outcomes[0].to: Outcome "accepted" of stage "offer" now moves to "shipment" (was: moves to "payment").');
    expect(out).toContain('Plan without a mapping: ok false');
    expect(out.some((line) => line.startsWith('  conflict stage_removed (S7) d-payment:'))).toBe(true);
    expect(out).toContain('  migrateDeal on that plan: plan_has_conflicts');
    expect(out).toContain("Plan with { payment: 'shipment' }: ok true, version 1 → 2");
    expect(out).toContain('  d-offer         offer → offer; stage due 2026-01-15T11:00Z → 2026-01-14T11:00Z; overdue idle → stage+idle; revision 3 → 4');
    expect(out).toContain('  d-payment       payment → shipment (mapped); stage due 2026-01-17T12:00Z → 2026-01-15T12:00Z; overdue none → none; revision 4 → 5');
    expect(out).toContain('  d-lost          stay: deal_stays');
    expect(out).toContain('d-offer stage deadline: recompute 2026-01-14T11:00Z, keep 2026-01-15T11:00Z');
    expect(out).toContain('d-payment on v2, "shipped": closed, positive');
    expect(out).toContain('The same on v1: topic_mismatch');
    expect(out).toContain('A deal changed since planning: stale_deal');
  });

  it('overdue-job: one indexed query agrees with findOverdue', async ({ expect }) => {
    const out = lines(await example('overdue-job'));
    expect(out).toContain('Nightly overdue scan: topic "standard" v1, now 2026-01-16T02:00Z');
    expect(out).toContain('7 deals stored, 3 overdue:');
    expect(out.some((line) => /^ {2}stuck-in-new +in new +stage limit 2026-01-13T09:00Z \(2 d 17 h late\)$/.test(line))).toBe(true);
    expect(out.some((line) => /^ {2}old-deal +in offer +deal limit 2026-01-14T09:00Z \(1 d 17 h late\)$/.test(line))).toBe(true);
    expect(out.some((line) => /^ {2}gone-quiet +in acquaintance +idle limit 2026-01-15T14:00Z \(12 h 0 min late\)$/.test(line))).toBe(true);
    expect(out).toContain('Cross-check with findOverdue: OK (3 deals, same limits)');
    expect(out.some((line) => line.startsWith('Query plan: Index Scan using deals_open_deadline on deals'))).toBe(true);
    expect(out.some((line) => /^ {2}extended +idle limit at 2026-01-17T09:00Z$/.test(line))).toBe(true);
  });

  it('store-deals: the store on PGlite: migrate, an idempotent event id, the outbox, history, the overdue scan', async ({ expect }) => {
    const out = lines(await example('store-deals'));
    expect(out.some((line) => /^Schema versions applied: 1(, \d+)*$/.test(line))).toBe(true);
    expect(out).toContain('Saved topic "standard" v1');
    expect(out).toContain('Attempt 1 of event call-1: revision 2, stage "acquaintance", duplicate false');
    expect(out).toContain('Attempt 2 of event call-1: revision 2, stage "acquaintance", duplicate true');
    expect(out).toContain('Refused: closed, negative, revision 3');
    expect(out).toContain('Claimed: deal-1 r3#0 cancelUnpaidInvoices, deal-1 r3#1 dealClosed');
    expect(out).toContain('Completed: 2; claimed again: 0');
    expect(out).toContain('History of deal-1: r1 opened, r2 recordOutcome, r3 recordOutcome');
    expect(out).toContain('Overdue: deal-2 in "new", stage limit 2026-01-13T09:00:00.000Z');
  });

  it('validate-topics.test.ts: runs under vitest with its own config, every test passing', async ({ expect }) => {
    if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/testing.js'))) {
      throw new Error('The vitest example imports the built package: run `npm run build` first (npm test does).');
    }
    const result = await node([join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'examples/vitest.config.ts', '--reporter=json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as {
      success: boolean;
      numTotalTests: number;
      numPassedTests: number;
      testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
    };
    expect(report.success).toBe(true);
    expect(report.testResults.map((file) => file.name.replace(root, ''))).toEqual(['examples/validate-topics.test.ts']);
    const tests = report.testResults.flatMap((file) => file.assertionResults.map((test) => `${test.status} ${test.fullName}`));
    expect(tests).toEqual([
      'passed finds the topic files',
      'passed topics/new-clients.json is a valid topic, warnings included',
      'passed topics/new-clients.json has a route to every stage and finish, and each replays through applyEvent',
      'passed a broken topic fails with every issue, its path, code and rule',
    ]);
    expect(report.numPassedTests).toBe(report.numTotalTests);
  });
});

describe.concurrent('npm run example (scripts/run-example.ts)', { timeout: TIMEOUT }, () => {
  const runner = (...args: string[]) => node(['--import', 'tsx', 'scripts/run-example.ts', ...args]);

  it('lists the examples with their one-line summaries when no name is given', async ({ expect }) => {
    const result = await runner();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run example <name> \[args…\]\n\nExamples:\n/);
    expect(result.stdout).toMatch(/^ {2}walk-new-clients +Walks one deal through the "New clients" topic of S1\/S9, as a sales team would\.$/m);
    expect(result.stdout).toMatch(/^ {2}validate-topics +Validates a folder of topic files/m);
    expect(result.stdout).not.toContain('vitest.config');
  });

  it('refuses an unknown name with exit code 2 and the list of names', async ({ expect }) => {
    const result = await runner('walk-old-clients');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown example "walk-old-clients". Examples: audit-topic, live-actor, migrate-deals, overdue-job, simulate-standard, store-deals, validate-topics, walk-new-clients.');
    expect(result.stdout).toBe('');
  });

  it('runs an example by name, with or without the folder and extension, with its exit code', async ({ expect }) => {
    for (const name of ['audit-topic', 'examples/audit-topic.ts']) {
      const result = await runner(name);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Visits: 5; yes 2, no 2, cancelled 1');
    }
    // Arguments after the name go to the example; a failing example's exit code comes back.
    const failing = await runner('validate-topics', '--no-such-flag');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('Unknown option');
  });
});
