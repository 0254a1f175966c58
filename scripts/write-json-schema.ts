/*
 * Writes the files generated from the topic schema: schema/topic.schema.json
 * (the JSON Schema the package ships for editors) and
 * docs/reference/topic-format.md (the format reference). Run it with
 * `npm run schema:write` after changing src/definition/schema.ts; the test
 * test/package/json-schema.test.ts fails until both are regenerated.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { FORMAT_REFERENCE_PATH, formatReference } from './format-reference.js';
import { TOPIC_SCHEMA_PATH, topicSchemaText } from './topic-schema-file.js';

for (const [path, text] of [
  [TOPIC_SCHEMA_PATH, topicSchemaText()],
  [FORMAT_REFERENCE_PATH, formatReference()],
] as const) {
  let previous: string | undefined;
  try {
    previous = readFileSync(path, 'utf8');
  } catch {
    previous = undefined;
  }
  const shown = relative(process.cwd(), path);
  if (previous === text) {
    console.log(`${shown} is up to date.`);
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`Wrote ${shown} (${text.length} characters).`);
  }
}
