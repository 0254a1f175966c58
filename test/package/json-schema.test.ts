import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FORMAT_REFERENCE_PATH, formatReference } from '../../scripts/format-reference.js';
import { TOPIC_SCHEMA_PATH, topicSchemaText } from '../../scripts/topic-schema-file.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('schema/topic.schema.json', () => {
  it('is exactly what topicJsonSchema() returns now', () => {
    const committed = readFileSync(TOPIC_SCHEMA_PATH, 'utf8');
    // Compare the text, not the parsed objects: formatting drift would show up in diffs too.
    expect(committed, 'schema/topic.schema.json is out of date: run `npm run schema:write` and commit it').toBe(topicSchemaText());
  });

  it('is a draft 2020-12 schema with one branch per topic kind (S23)', () => {
    const schema = JSON.parse(readFileSync(TOPIC_SCHEMA_PATH, 'utf8')) as {
      $schema?: unknown;
      oneOf?: { properties?: { kind?: { const?: unknown } } }[];
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.oneOf?.map((branch) => branch.properties?.kind?.const)).toEqual(['sales', 'audit', 'service']);
  });

  it('is what the package exports as crm-topics/topic.schema.json', () => {
    const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
      files: string[];
    };
    expect(resolve(root, String(manifest.exports['./topic.schema.json']))).toBe(TOPIC_SCHEMA_PATH);
    expect(manifest.files).toContain('schema');
  });
});

describe('examples/topics/new-clients.json', () => {
  it('points its $schema at the committed schema, for editor autocompletion', () => {
    const file = resolve(root, 'examples/topics/new-clients.json');
    const topic = JSON.parse(readFileSync(file, 'utf8')) as { $schema?: unknown };
    expect(typeof topic.$schema, 'the example topic has no "$schema" line').toBe('string');
    expect(resolve(dirname(file), String(topic.$schema))).toBe(TOPIC_SCHEMA_PATH);
  });
});

describe('docs/reference/topic-format.md', () => {
  it('is exactly what the schema generates now', () => {
    const committed = readFileSync(FORMAT_REFERENCE_PATH, 'utf8');
    expect(committed, 'docs/reference/topic-format.md is out of date: run `npm run schema:write` and commit it').toBe(formatReference());
  });

  it('has a table row for every property of a stage and of the parameters', () => {
    const reference = formatReference();
    for (const property of ['maxDuration', 'idleLimit', 'probability', 'requiredFields', 'outcomes', 'concurrentDeals', 'planning', 'closeOn', 'afterClose', 'plannedContacts', 'sharedAssignmentOnFinish']) {
      expect(reference).toMatch(new RegExp(`^\\| \`${property}\` \\|`, 'm'));
    }
  });
});
