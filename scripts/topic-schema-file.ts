import { fileURLToPath } from 'node:url';
import { topicJsonSchema } from '../src/definition/json-schema.js';

/** Where the JSON Schema of topic files is committed; the package exports it as `crm-topics/topic.schema.json`. */
export const TOPIC_SCHEMA_PATH = fileURLToPath(new URL('../schema/topic.schema.json', import.meta.url));

/** The exact text of `schema/topic.schema.json`: `topicJsonSchema()` pretty-printed, with a trailing newline. */
export function topicSchemaText(): string {
  return `${JSON.stringify(topicJsonSchema(), null, 2)}\n`;
}
