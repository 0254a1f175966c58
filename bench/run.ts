/*
 * npm run bench: measures the library side by side with its baselines in one
 * process, on the same data, after warm-up, and prints a table of medians,
 * ratios and a pass/fail column per target. Exits 1 when a target is missed.
 * Not part of `npm test`: shared machines are too noisy for timed tests.
 */
import os from 'node:os';
import { Bench } from 'tinybench';
import { transition } from 'xstate';
import {
  addDuration,
  applyEvent,
  buildDealMachine,
  compileCalendar,
  compileTopic,
  createDealActor,
  dealSnapshot,
  findOverdue,
  openDeal,
  parseDuration,
  simulate,
  standardTopic,
  type CompiledSalesTopic,
  type Deal,
  type DealEvent,
} from '../src/index.js';
import { startupTimes } from './startup.js';
import { dealRuns, HOUR, START } from './stream.js';
import { chainTopic, largestTopic } from './topics.js';

interface Row {
  readonly name: string;
  readonly value: string;
}
interface Target {
  readonly name: string;
  readonly measured: string;
  readonly goal: string;
  readonly pass: boolean;
}

const rows: Row[] = [];
const targets: Target[] = [];
const quick = process.argv.includes('--quick');
const format = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3));
const target = (name: string, measured: number, goal: number, direction: 'min' | 'max', unit = '') =>
  targets.push({ name, measured: `${format(measured)}${unit}`, goal: `${direction === 'min' ? '≥' : '≤'} ${format(goal)}${unit}`, pass: direction === 'min' ? measured >= goal : measured <= goal });

/** Median seconds of one call of each task, measured together after warm-up. */
async function medians(tasks: Record<string, { fn: () => void; beforeEach?: () => void }>, time = quick ? 300 : 2000): Promise<Record<string, number>> {
  const bench = new Bench({ time, warmupTime: quick ? 100 : 500, iterations: 10 });
  for (const [name, task] of Object.entries(tasks)) bench.add(name, task.fn, task.beforeEach === undefined ? {} : { beforeEach: task.beforeEach });
  await bench.run();
  const result: Record<string, number> = {};
  for (const task of bench.tasks) {
    const latency = task.result.state === 'completed' ? task.result.latency.p50 : Number.NaN;
    result[task.name] = latency / 1000;
  }
  return result;
}

const topic = compileTopic(standardTopic) as CompiledSalesTopic;

async function applyEventBench(): Promise<number> {
  const runs = dealRuns(topic, 500);
  const events = runs.reduce((sum, run) => sum + run.events.length, 0);
  // The floor: a lookup table that only moves the stage.
  const table = new Map(topic.stageList.map((stage) => [stage.id, new Map([...stage.outcomes.values()].map((outcome) => [outcome.id, outcome.to ?? stage.id]))]));
  const reduce = (stageId: string, event: DealEvent): string => (event.type === 'recordOutcome' ? (table.get(stageId)?.get(event.outcomeId) ?? stageId) : stageId);
  let actors: ReturnType<typeof createDealActor>[] = [];
  let sink = 0;
  const time = await medians({
    applyEvent: {
      fn: () => {
        for (const run of runs) {
          let deal: Deal = run.deal;
          for (const event of run.events) {
            const result = applyEvent(topic, deal, event);
            if (result.ok) deal = result.deal;
          }
          sink += deal.revision;
        }
      },
    },
    'xstate transition()': {
      fn: () => {
        for (const run of runs) {
          let snapshot = dealSnapshot(topic, run.deal);
          for (const event of run.events) [snapshot] = transition(topic.machine, snapshot, event);
          sink += snapshot.context.deal.revision;
        }
      },
    },
    'live actor send()': {
      beforeEach: () => {
        actors = runs.map((run) => createDealActor(topic, run.deal).start());
      },
      fn: () => {
        runs.forEach((run, index) => {
          const actor = actors[index] as (typeof actors)[number];
          for (const event of run.events) actor.send(event);
          sink += actor.getSnapshot().context.deal.revision;
        });
      },
    },
    'lookup-table floor': {
      fn: () => {
        for (const run of runs) {
          let stageId = run.deal.stageId;
          for (const event of run.events) stageId = reduce(stageId, event);
          sink += stageId.length;
        }
      },
    },
  });
  const rate = (name: string) => events / (time[name] as number);
  const apply = rate('applyEvent');
  for (const name of Object.keys(time)) rows.push({ name: `1. ${name}`, value: `${format(rate(name))} events/s` });
  target('applyEvent events/s', apply, 1_000_000, 'min');
  target('applyEvent vs xstate transition()', apply / rate('xstate transition()'), 20, 'min', '×');
  target('applyEvent vs live actor send()', apply / rate('live actor send()'), 3, 'min', '×');
  target('lookup-table floor vs applyEvent', rate('lookup-table floor') / apply, 10, 'max', '×');
  if (sink === 0) throw new Error('unreachable');
  return apply;
}

async function findOverdueBench(): Promise<void> {
  const count = quick ? 200_000 : 1_000_000;
  const opened = openDeal(topic, { id: 'template', clientId: 'c', ownerId: 'u', at: START });
  if (!opened.ok) throw new Error(opened.error.message);
  const deals: Deal[] = [];
  for (let index = 0; index < count; index += 1) {
    const at = START + (index % 10_000) * HOUR;
    deals.push({ ...opened.deal, id: `d${index}`, stageEnteredAt: at, stageDueAt: at + 24 * HOUR, dueAt: at + 720 * HOUR, idleDueAt: index % 3 === 0 ? null : at + 48 * HOUR });
  }
  const now = START + 400 * HOUR;
  let sink = 0;
  const time = await medians({
    findOverdue: { fn: () => void (sink += findOverdue(topic, deals, now).length) },
    'bare loop floor': {
      fn: () => {
        let overdueCount = 0;
        for (let index = 0; index < deals.length; index += 1) {
          const deal = deals[index] as Deal;
          if ((deal.stageDueAt !== null && deal.stageDueAt < now) || (deal.dueAt !== null && deal.dueAt < now)) overdueCount += 1;
        }
        sink += overdueCount;
      },
    },
  });
  const rate = (name: string) => count / (time[name] as number);
  rows.push({ name: `2. findOverdue over ${format(count)} deals`, value: `${format(rate('findOverdue'))} deals/s` });
  rows.push({ name: '2. bare loop floor', value: `${format(rate('bare loop floor'))} deals/s` });
  target('findOverdue vs bare loop', (time.findOverdue as number) / (time['bare loop floor'] as number), 3, 'max', '×');
  if (sink === 0) throw new Error('unreachable');
}

async function compileBench(): Promise<void> {
  const sizes = [10, 100, 1000];
  const inputs = Object.fromEntries(sizes.map((size) => [size, chainTopic(size)]));
  const time = await medians(Object.fromEntries(sizes.map((size) => [`${size} stages`, { fn: () => void compileTopic(inputs[size]) }])), quick ? 300 : 1500);
  for (const size of sizes) rows.push({ name: `3. parse + lint + compile, ${size} stages`, value: `${format((time[`${size} stages`] as number) * 1000)} ms` });
  // The XState machine is built on first use of `compiled.machine`, so it is timed on its own.
  const compiled = Object.fromEntries(sizes.map((size) => [size, compileTopic(inputs[size]) as CompiledSalesTopic]));
  const machines = await medians(Object.fromEntries(sizes.map((size) => [`${size} stages`, { fn: () => void buildDealMachine(compiled[size] as CompiledSalesTopic) }])), quick ? 300 : 1500);
  for (const size of sizes) rows.push({ name: `3. build the XState machine, ${size} stages`, value: `${format((machines[`${size} stages`] as number) * 1000)} ms` });
  target('machine 1,000 vs 100 stages', (machines['1000 stages'] as number) / (machines['100 stages'] as number), 12, 'max', '×');
  target('compile 1,000 vs 100 stages', (time['1000 stages'] as number) / (time['100 stages'] as number), 12, 'max', '×');
}

/** The largest topic the schema allows: parse, lint, compile and build its machine within 1 s and 200 MB. */
function largestTopicBench(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc (npm run bench does)');
  const input = largestTopic();
  const runs = quick ? 3 : 5;
  const times: number[] = [];
  let heap = 0;
  for (let run = 0; run < runs; run += 1) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const compiled = compileTopic(input) as CompiledSalesTopic;
    const machine = compiled.machine;
    times.push(performance.now() - started);
    // The heap grown before collecting (garbage included) bounds the peak from below; after collecting, what the topic keeps.
    const grown = process.memoryUsage().heapUsed - before;
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    heap = Math.max(heap, grown, kept);
    if (machine.root.states['s0'] === undefined) throw new Error('unreachable');
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
  rows.push({ name: '3. largest allowed topic: compile + build the machine', value: `${format(median)} ms (first run ${format(times[0] as number)} ms), ${format(heap / 2 ** 20)} MB heap` });
  target('largest allowed topic: compile + machine', median, 1000, 'max', ' ms');
  target('largest allowed topic: heap', heap / 2 ** 20, 200, 'max', ' MB');
}

async function simulateBench(applyRate: number): Promise<void> {
  const deals = quick ? 10_000 : 100_000;
  let events = 0;
  const time = await medians({ simulate: { fn: () => void (events = simulate(topic, { deals, seed: 1, keepDeals: false }).events) } }, 1);
  const rate = events / (time.simulate as number);
  rows.push({ name: `4. simulate ${format(deals)} deals`, value: `${format(rate)} events/s (${format(events)} events)` });
  target('applyEvent vs simulate events/s', applyRate / rate, 2, 'max', '×');
}

function memoryBench(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc (npm run bench does)');
  const count = quick ? 100_000 : 1_000_000;
  gc();
  const before = process.memoryUsage().heapUsed;
  const deals: Deal[] = [];
  for (let index = 0; index < count; index += 1) {
    const opened = openDeal(topic, { id: `deal-${index}`, clientId: `client-${index % 50_000}`, ownerId: 'manager-7', at: START + index * 1000 });
    // The deal alone: its log is kept beside it (in the host's store), not in the deal.
    if (opened.ok) deals.push(opened.deal);
  }
  gc();
  const perDeal = (process.memoryUsage().heapUsed - before) / count;
  const opened = openDeal(topic, { id: 'deal-123456', clientId: 'client-123456', ownerId: 'manager-7', at: START, amount: 150_000 });
  const json = opened.ok ? Buffer.byteLength(JSON.stringify(opened.deal)) : Number.NaN;
  const entryJson = opened.ok ? Buffer.byteLength(JSON.stringify(opened.entry)) : Number.NaN;
  rows.push({ name: `5. heap per open deal (log kept apart), ${format(deals.length)} deals`, value: `${format(perDeal)} bytes` });
  rows.push({ name: '5. persisted open deal as JSON', value: `${format(json)} bytes` });
  rows.push({ name: "5. its log's opened entry as JSON (stored beside it)", value: `${format(entryJson)} bytes` });
  target('heap per open deal', perDeal, 500, 'max', ' B');
  target('JSON per persisted open deal', json, 1024, 'max', ' B');
}

/**
 * The worst valid calendar: one working hour a week (Mondays 09:00–10:00),
 * with the longest limit lint accepts on it (ten years of calendar time:
 * 520 working hours, or 520 working days), in UTC and in a zone with
 * daylight saving time. Each deadline starts an hour after the last, on one
 * compiled calendar, as a topic's deals would.
 */
async function sparseCalendarBench(): Promise<void> {
  const hours = parseDuration('PT520H');
  const days = parseDuration('P520D');
  if (hours === undefined || days === undefined) throw new Error('unreachable');
  let worst = 0;
  for (const timeZone of ['UTC', 'Europe/Berlin']) {
    const calendar = compileCalendar({ timeZone, workDays: [1], workHours: { start: '09:00', end: '10:00' }, holidays: ['2026-12-28'], workingDays: ['2027-01-02'] });
    let start = START;
    let sink = 0;
    const time = await medians({
      hours: { fn: () => void (sink += addDuration((start += 3_600_000), hours, calendar)) },
      days: { fn: () => void (sink += addDuration((start += 3_600_000), days, calendar)) },
    }, quick ? 300 : 1000);
    rows.push({ name: `6. deadline, 1 working hour a week (${timeZone}), PT520H`, value: `${format((time.hours as number) * 1000)} ms` });
    rows.push({ name: `6. deadline, 1 working day a week (${timeZone}), P520D`, value: `${format((time.days as number) * 1000)} ms` });
    worst = Math.max(worst, time.hours as number, time.days as number);
    if (sink === 0) throw new Error('unreachable');
  }
  target('sparse calendar deadline, longest valid limit', worst * 1000, 1, 'max', ' ms');
}

// Compile first: it allocates little, and later sections leave a large heap behind.
await compileBench();
largestTopicBench();
const applyRate = await applyEventBench();
await findOverdueBench();
await simulateBench(applyRate);
await sparseCalendarBench();
memoryBench();
startupBench();

/** Start-up of the built package and command line, each against bare `node -e 0` measured in the same rounds. */
function startupBench(): void {
  const { node, importPackage, version } = startupTimes(quick ? 7 : 21);
  rows.push({ name: '7. start-up: bare node -e 0', value: `${format(node)} ms` });
  rows.push({ name: "7. start-up: import 'crm-topics' (built)", value: `${format(importPackage)} ms (+${format(importPackage - node)} ms)` });
  rows.push({ name: '7. start-up: crm-topics --version (built)', value: `${format(version)} ms (+${format(version - node)} ms)` });
  target("import 'crm-topics' above bare node", importPackage - node, 40, 'max', ' ms');
  target('crm-topics --version above bare node', version - node, 60, 'max', ' ms');
}

const width = Math.max(...rows.map((row) => row.name.length));
console.log(`crm-topics benchmarks — Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB${quick ? ' (quick run)' : ''}\n`);
for (const row of rows) console.log(`${row.name.padEnd(width)}  ${row.value}`);
console.log('\n| target | measured | goal | result |\n| --- | --- | --- | --- |');
for (const row of targets) console.log(`| ${row.name} | ${row.measured} | ${row.goal} | ${row.pass ? 'pass' : 'FAIL'} |`);
process.exitCode = targets.every((row) => row.pass) ? 0 : 1;
