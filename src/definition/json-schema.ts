import * as z from 'zod';
import { topicSchema } from './schema.js';

/**
 * The JSON Schema (draft 2020-12) of topic files, as an author writes them:
 * properties with defaults may be left out. Editors use it to autocomplete
 * and check topic JSON; the package also ships it as
 * `crm-topics/topic.schema.json`. Rules a schema cannot state (references
 * between stages, reachability) are checked by `lintTopic`.
 *
 * @example
 * fs.writeFileSync('topic.schema.json', JSON.stringify(topicJsonSchema(), null, 2));
 */
export function topicJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(topicSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://www.npmjs.com/package/crm-topics/topic.schema.json',
    title: 'crm-topics relationship topic',
  };
}
