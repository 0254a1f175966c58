/**
 * Simulates 1,000 deals on the standard topic and prints the funnel report.
 *
 * The deals are seeded and run on the built-in standard topic (S21), as
 * `npm run simulate` does. Then the script asks two what-if questions with
 * the same seed: what if fewer deals were lost at
 * the commercial offer (a weights side map), and what does the pipeline
 * look like three weeks in (a horizon, `until`), with open deals and their
 * weighted value. A typo in the weights shows how `SimulationError` names
 * the path. The same seed always prints the same figures.
 *
 * Run it with `npm run example simulate-standard`.
 */
import {
  compileTopic,
  formatDuration,
  formatFunnelReport,
  simulate,
  SimulationError,
  standardTopic,
  type CompiledSalesTopic,
  type FunnelReport,
} from 'crm-topics';

const compiled = compileTopic(standardTopic);
if (compiled.kind !== 'sales') throw new Error('the standard topic is a sales topic');
const topic: CompiledSalesTopic = compiled;

const percent = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(1)}%`);

// 1. The baseline: the topic's own outcome weights, seed 1 (what `npm run simulate` prints).
const baseline = simulate(topic, { deals: 1000, seed: 1 });
console.log(formatFunnelReport(baseline.report, topic));
console.log(`Baseline: ${baseline.events} events accepted, ${baseline.rejected} rejected; win rate ${percent(baseline.report.winRate)}`);

// 2. What if the offer were refused a quarter as often? Weights are relative: the standard topic's offer
//    outcomes weigh accepted 5, revise 2, refused 1; the side map overrides only what it names.
const fewerLosses = simulate(topic, { deals: 1000, seed: 1, weights: { offer: { refused: 0.25 } } });
console.log(`What-if (offer refused 0.25 instead of 1): win rate ${percent(fewerLosses.report.winRate)}`);
for (const [label, report] of [['baseline', baseline.report], ['what-if', fewerLosses.report]] as const) {
  const offer = stage(report, 'offer');
  console.log(`  ${label.padEnd(8)} offer: ${offer.deals} deals, to next ${percent(offer.toNext)}, lost there ${offer.finishedNegative}`);
}

// 3. Stop the clock three weeks after the first opening: deals still open form the pipeline.
const start = Date.parse('2026-01-05T09:00:00Z');
const threeWeeks = simulate(topic, { deals: 1000, seed: 1, start, until: start + 21 * 86_400_000 });
const { report } = threeWeeks;
console.log(`\nAt ${new Date(report.now).toISOString()} (until): ${report.open} open, ${report.closed} closed, ${report.finished} finished`);
console.log(`Open pipeline ${report.openValue.toLocaleString('en-US')}; weighted ${report.weightedValue.toLocaleString('en-US')}`);
for (const row of report.stages) {
  console.log(`  ${row.stageId.padEnd(13)} open ${String(row.open).padStart(3)}  probability ${String(row.probability).padStart(2)}%  weighted ${row.weightedValue?.toLocaleString('en-US') ?? '-'}  median ${row.medianTime === null ? '-' : formatDuration(row.medianTime)}`);
}

// 4. A typo in the weights: every problem, with its path.
try {
  simulate(topic, { deals: 10, weights: { ofer: { refused: 1 }, payment: { paid: -1 } } });
} catch (error) {
  if (!(error instanceof SimulationError)) throw error;
  console.log('\nSimulationError:');
  for (const issue of error.issues) console.log(`  ${issue.path}: ${issue.code}`);
}

function stage(report: FunnelReport, id: string) {
  const row = report.stages.find((candidate) => candidate.stageId === id);
  if (row === undefined) throw new Error(`no stage ${id}`);
  return row;
}
