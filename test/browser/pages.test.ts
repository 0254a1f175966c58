/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTopic, standardTopic, type CompiledSalesTopic } from '../../src/index.js';
import { diffTopics } from '../../src/migrate/diff.js';
import { diffHtml } from '../../src/picture/diff-html.js';
import { funnelHtml } from '../../src/picture/funnel-html.js';
import { topicSvg } from '../../src/picture/topic-svg.js';
import { simulate } from '../../src/report/simulate.js';
import { findChromium, launchChromium } from './chromium.js';

// The pages are opened in a real browser wherever Chromium is installed; with CI set, a missing browser fails the run.
const executable = findChromium();
const ARTEFACTS = join(process.cwd(), 'test-artifacts', 'browser');

if (executable === undefined && process.env.CI !== undefined && process.env.CI !== '') {
  throw new Error('The browser suite needs Chromium in CI: apt-get install chromium, or set CHROMIUM_PATH.');
}

describe.runIf(executable !== undefined)('pictures and pages in headless Chromium, offline', () => {
  const topic = compileTopic(standardTopic) as CompiledSalesTopic;
  const dir = mkdtempSync(join(tmpdir(), 'crm-topics-pages-'));
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium(executable as string);
    mkdirSync(ARTEFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, content: string): Promise<Page> {
    const file = join(dir, name);
    writeFileSync(file, content);
    const page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${name}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${name}: ${error.message}`));
    await page.goto(pathToFileURL(file).href);
    return page;
  }

  /** Each text line of a stage box against its rectangle, measured by the browser's own fonts. */
  const overflowingTexts = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll('g.node')].flatMap((node) => {
        const rect = node.querySelector('rect')?.getBBox();
        if (rect === undefined) return [`${node.getAttribute('data-key')}: no box`];
        return [...node.querySelectorAll('text')].flatMap((text) => {
          const box = (text as SVGTextElement).getBBox();
          const inside = box.x >= rect.x - 0.5 && box.y >= rect.y - 0.5 && box.x + box.width <= rect.x + rect.width + 0.5 && box.y + box.height <= rect.y + rect.height + 0.5;
          return inside ? [] : [`${node.getAttribute('data-key')}: "${text.textContent}" (${Math.round(box.width)} px in ${Math.round(rect.width)} px)`];
        });
      }),
    );

  for (const [locale, stages] of [
    ['en', 5],
    ['ru', 40],
  ] as const) {
    it(`draws a ${stages}-stage topic (${locale}) with every stage named and no text outside its box`, async () => {
      const wide = stages === 5 ? topic : manyStages(stages);
      const page = await open(`topic-${stages}.svg`, topicSvg(wide, { locale }));
      const names = await page.$$eval('g.node.stage', (nodes) => nodes.map((node) => node.getAttribute('data-key')));
      expect(names).toEqual(wide.stageList.map((stage) => `stage:${stage.id}`));
      expect(await page.$eval('svg', (svg) => [svg.getAttribute('role'), svg.querySelector('title')?.textContent])).toEqual(['img', expect.stringContaining(wide.definition.name)]);
      expect(await overflowingTexts(page)).toEqual([]);
      await page.screenshot({ path: join(ARTEFACTS, `topic-${stages}-${locale}.png`) });
      await page.close();
    });
  }

  it('catches text that leaves its box (the check above can fail)', async () => {
    const page = await open('narrow.svg', topicSvg(topic, { locale: 'en' }).replaceAll('width="200"', 'width="40"'));
    expect((await overflowingTexts(page)).length).toBeGreaterThan(0);
    await page.close();
  });

  it('puts two versions side by side within the window, with the changes listed', async () => {
    const later = manyStages(8);
    const earlier = manyStages(6);
    const changes = diffTopics(earlier.definition, later.definition);
    const page = await open('diff.html', diffHtml(earlier, later, changes, { locale: 'ru' }));
    const sides = await page.$$eval('figure.side svg', (svgs) => svgs.map((svg) => svg.getBoundingClientRect().width));
    expect(sides).toHaveLength(2);
    for (const width of sides) expect(width).toBeLessThanOrEqual(1280);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await page.$$eval('table.changes tbody tr', (rows) => rows.length)).toBe(changes.length);
    expect(await overflowingTexts(page)).toEqual([]);
    await page.screenshot({ path: join(ARTEFACTS, 'diff-ru.png'), fullPage: true });
    await page.close();
  });

  it('shows the simulated funnel as one page with its numbers, nothing wider than the window, nothing fetched', async () => {
    const { report } = simulate(topic, { deals: 400, seed: 'browser', keepDeals: false });
    for (const locale of ['en', 'ru'] as const) {
      const page = await open(`funnel-${locale}.html`, funnelHtml(report, topic, { locale }));
      const text = await page.locator('body').innerText();
      for (const stage of topic.stageList) expect(text).toContain(stage.name);
      expect(text).toContain(String(report.stages[0]?.deals));
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      const clipped = await page.$$eval('td, th', (cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent));
      expect(clipped).toEqual([]);
      expect(await page.$$eval('img:not([alt]), svg:not([role])', (bare) => bare.length)).toBe(0);
      await page.screenshot({ path: join(ARTEFACTS, `funnel-${locale}.png`), fullPage: true });
      await page.close();
    }
    expect(browser.requests).toEqual([]);
    expect(errors).toEqual([]);
  });
});

/** The standard topic stretched to `count` stages in a row, each moving to the next. */
function manyStages(count: number): CompiledSalesTopic {
  const stages = Array.from({ length: count }, (_, index) => ({
    id: `stage-${index + 1}`,
    name: `Этап переговоров номер ${index + 1}`,
    maxDuration: 'P3D',
    outcomes:
      index + 1 < count
        ? [
            { id: `next-${index + 1}`, name: 'Дальше', to: `stage-${index + 2}` },
            { id: `again-${index + 1}`, name: 'Ещё раз', to: `stage-${index + 1}` },
          ]
        : [{ id: 'won', name: 'Оплачено', finish: 'positive' as const }],
  }));
  return compileTopic({ id: 'long', name: 'Длинная воронка', version: 1, kind: 'sales', stages, globalOutcomes: [{ id: 'lost', name: 'Отказ', finish: 'negative' }] }) as CompiledSalesTopic;
}
