import { compileTopic } from '../src/compile/compile.js';
import { standardTopic } from '../src/definition/standard-topic.js';
import { topicSvg } from '../src/picture/topic-svg.js';

/**
 * The generated pictures by repository path; shared by scripts/write-pictures.ts
 * and the drift test.
 *
 * @example
 * pictures()['docs/pictures/standard-topic.svg'].startsWith('<svg'); // true
 */
export function pictures(): Record<string, string> {
  const compiled = compileTopic(standardTopic);
  if (compiled.kind !== 'sales') throw new Error('the standard topic is a sales topic');
  return {
    'docs/pictures/standard-topic.svg': topicSvg(compiled, { locale: 'ru' }),
    'docs/pictures/standard-topic.en.svg': topicSvg(compiled, { locale: 'en', title: 'Standard topic (Стандартная тема) v1' }),
  };
}
