import { describe, expect, it } from 'vitest';
import { compileTopic, diffHtml, diffTopics, parseTopic, standardTopic } from '../../src/index.js';
import { auditInput } from '../definition/helpers.js';

describe('diffHtml: two versions of a topic as one page', () => {
  it('marks an added stage green in the new picture only, and escapes what the topics say', () => {
    const before = parseTopic(standardTopic);
    const after = parseTopic({ ...standardTopic, version: 2, stages: [...standardTopic.stages, { id: 'after', name: '<b>Послепродажа</b>', outcomes: [{ id: 'done', name: 'Готово', finish: 'positive' }] }], globalOutcomes: [...standardTopic.globalOutcomes, { id: 'aftercare', name: 'Сопровождение', to: 'after' }] });
    const page = diffHtml(compileTopic(before), compileTopic(after), diffTopics(before, after));
    expect(page.match(/data-key="stage:after">\s*<rect[^>]*fill="#d3f9d8"/g)).toHaveLength(1);
    expect(page).not.toContain('<b>Послепродажа');
    expect(page).toContain('&lt;b&gt;Послепродажа');
    expect(page).toContain('<html lang="en">');
  });

  it('lists the changes of topics that have no picture, and says when nothing changed', () => {
    const audit = parseTopic(auditInput());
    const renamed = parseTopic({ ...auditInput(), name: 'Аудит полок 2' });
    const page = diffHtml(compileTopic(audit), compileTopic(renamed), diffTopics(audit, renamed), { locale: 'ru' });
    expect(page).toContain('Схема есть только у тем продаж.');
    expect(page).not.toContain('<svg ');
    expect(page).toContain('topic-changed');
    expect(diffHtml(compileTopic(audit), compileTopic(audit), [], { locale: 'ru' })).toContain('Изменений нет.');
  });
});
