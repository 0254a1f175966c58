/*
 * Writes schema/topic.schema.json from topicJsonSchema(), the schema the
 * package ships for editors (`"$schema"` in topic files). Run it with
 * `npm run schema:write` after changing src/definition/schema.ts; the test
 * test/package/json-schema.test.ts fails until the file is regenerated.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { TOPIC_SCHEMA_PATH, topicSchemaText } from './topic-schema-file.js';

const text = topicSchemaText();
let previous: string | undefined;
try {
  previous = readFileSync(TOPIC_SCHEMA_PATH, 'utf8');
} catch {
  previous = undefined;
}
const shown = relative(process.cwd(), TOPIC_SCHEMA_PATH);
if (previous === text) {
  console.log(`${shown} is up to date.`);
} else {
  mkdirSync(dirname(TOPIC_SCHEMA_PATH), { recursive: true });
  writeFileSync(TOPIC_SCHEMA_PATH, text);
  console.log(`Wrote ${shown} (${text.length} characters).`);
}
