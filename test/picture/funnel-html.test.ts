import { describe, expect, it } from 'vitest';
import { compileTopic, standardTopic, type CompiledSalesTopic } from '../../src/index.js';
import { conversionFill, funnelHtml } from '../../src/picture/funnel-html.js';
import { simulate } from '../../src/report/simulate.js';

const topic = compileTopic(standardTopic) as CompiledSalesTopic;
const { report } = simulate(topic, { deals: 300, seed: 'html', keepDeals: false });

describe('funnelHtml', () => {
  it('is one self-contained page: nothing fetched, no script', () => {
    const html = funnelHtml(report, topic);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).not.toMatch(/\bsrc=|<link|<script|@import|url\((?!#)|https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
    expect(html.match(/<svg /g)).toHaveLength(1);
  });

  it('shows the win rate, the counts, every stage with its numbers and the loss reasons (S12, S27)', () => {
    const html = funnelHtml(report, topic, { locale: 'ru' });
    expect(report.winRate).not.toBeNull();
    expect(html).toContain(`<dd data-value="win-rate">${((report.winRate as number) * 100).toFixed(1)}%</dd>`);
    expect(html).toContain(`<dd data-value="deals">${report.deals}</dd>`);
    expect(html).toContain('Доля выигранных');
    for (const stage of report.stages) {
      const name = topic.stages.get(stage.stageId)?.name as string;
      expect(html).toContain(`<tr><th scope="row">${stage.index + 1}. ${name}</th>`);
    }
    const losses = report.finishesByOutcome.filter((finish) => finish.result === 'negative');
    expect(losses.length).toBeGreaterThan(0);
    for (const loss of losses) expect(html).toContain(`<td class="num">${loss.count}</td><td class="num">${(loss.share * 100).toFixed(1)}%</td>`);
  });

  it('colours each stage of the diagram by its conversion to the next stage', () => {
    const html = funnelHtml(report, topic);
    for (const stage of report.stages) {
      if (stage.toNext === null) continue;
      expect(html).toMatch(new RegExp(`data-key="stage:${stage.stageId}">\\n<rect [^>]*fill="${conversionFill(stage.toNext)}"`));
    }
    expect(conversionFill(0)).toBe('#ffe3e3');
    expect(conversionFill(1)).toBe('#d3f9d8');
  });

  it('escapes a hostile title', () => {
    const html = funnelHtml(report, topic, { title: '</title><script>x</script>' });
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;/title&gt;&lt;script&gt;');
  });
});
