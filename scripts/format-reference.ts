/*
 * Renders the reference tables of the topic file format from the JSON Schema
 * (itself generated from the zod schema), so the documentation cannot drift
 * from the code. `npm run schema:write` writes the result to
 * docs/reference/topic-format.md; test/package/json-schema.test.ts fails when
 * the committed file is stale.
 */
import { fileURLToPath } from 'node:url';
import { topicJsonSchema } from '../src/definition/json-schema.js';

/** Where the generated reference is committed. */
export const FORMAT_REFERENCE_PATH = fileURLToPath(new URL('../docs/reference/topic-format.md', import.meta.url));

interface Schema {
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly description?: string;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

interface Section {
  readonly title: string;
  readonly schema: Schema;
}

const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (value: unknown) => `\`${escape(JSON.stringify(value))}\``;

/** A short name for a schema's type, naming the section that describes an object. */
function typeOf(schema: Schema, section: string | undefined): string {
  if (schema.const !== undefined) return code(schema.const);
  if (schema.enum !== undefined) return schema.enum.map(code).join(' \\| ');
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) return section === undefined ? variants.map((variant) => typeOf(variant, undefined)).join(' \\| ') : `[${section}](#${anchor(section)})`;
  if (schema.type === 'array' && schema.items !== undefined) return `array of ${typeOf(schema.items, section)}`;
  if (schema.type === 'object') return section === undefined ? 'object' : `[${section}](#${anchor(section)})`;
  if (schema.type === 'string' && schema.pattern?.startsWith('^P')) return 'ISO 8601 duration';
  return Array.isArray(schema.type) ? schema.type.join(' \\| ') : String(schema.type ?? 'any');
}

const range = (low: number | undefined, high: number | undefined, unit: string): string | undefined => {
  if (high === undefined) return low === undefined || low === 0 ? undefined : `at least ${low} ${unit}`;
  return low === undefined || low === 0 ? `at most ${high} ${unit}` : `${low}–${high} ${unit}`;
};

function limits(schema: Schema): string {
  const parts: (string | undefined)[] = [];
  if (schema.minimum !== undefined && schema.minimum !== 0) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${schema.maximum}`);
  // Ids and durations are described by their pattern; their length limit adds nothing.
  if (schema.pattern === undefined) parts.push(range(schema.minLength, schema.maxLength, 'characters'));
  parts.push(range(schema.minItems, schema.maxItems, 'items'));
  return parts.filter((part) => part !== undefined).join(', ');
}

const anchor = (title: string) => title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

/** Renders one object's properties as a table, queueing the nested objects as sections of their own. */
function table(section: Section, queue: Section[]): string[] {
  const rows = ['| Property | Type | Required | Default | Meaning |', '| --- | --- | --- | --- | --- |'];
  for (const [name, property] of Object.entries(section.schema.properties ?? {})) {
    const inner = property.type === 'array' ? property.items : property;
    const nested = inner !== undefined && (inner.type === 'object' || inner.anyOf !== undefined || inner.oneOf !== undefined) && (inner.properties !== undefined || (inner.anyOf ?? inner.oneOf ?? []).some((variant) => variant.type === 'object'));
    const child = nested ? `${section.title} › ${name}` : undefined;
    if (child !== undefined && inner !== undefined) queue.push({ title: child, schema: inner });
    const required = section.schema.required?.includes(name) === true ? 'yes' : '';
    const defaults = property.default === undefined ? '' : code(property.default);
    const meaning = [property.description ?? inner?.description ?? '', limits(property)].filter((part) => part !== '').join(' — ');
    rows.push(`| \`${name}\` | ${typeOf(property, child)} | ${required} | ${defaults} | ${escape(meaning)} |`);
  }
  return rows;
}

function render(section: Section, queue: Section[]): string[] {
  const lines = [`### ${section.title}`, ''];
  if (section.schema.description !== undefined) lines.push(section.schema.description, '');
  const variants = section.schema.anyOf ?? section.schema.oneOf;
  if (variants === undefined) return [...lines, ...table(section, queue), ''];
  lines.push('One of:', '');
  variants.forEach((variant, index) => {
    const discriminator = Object.entries(variant.properties ?? {}).find(([, property]) => property.const !== undefined);
    const name = discriminator === undefined ? `variant ${index + 1}` : `${discriminator[0]} = ${JSON.stringify(discriminator[1].const)}`;
    const label = discriminator === undefined ? (Object.keys(variant.properties ?? {}).find((key) => variant.required?.includes(key) && !['id', 'name'].includes(key)) ?? name) : name;
    lines.push(`**${discriminator === undefined ? `with \`${label}\`` : label}**${variant.description === undefined ? '' : ` — ${variant.description}`}`, '');
    lines.push(...table({ title: `${section.title} (${label})`, schema: variant }, queue), '');
  });
  return lines;
}

/**
 * The Markdown reference of the topic file format: one table per object,
 * from the topic down to outcomes, fields and the calendar.
 */
export function formatReference(): string {
  const schema = topicJsonSchema() as Schema;
  const lines = [
    '<!-- Generated by `npm run schema:write` from src/definition/schema.ts. Do not edit by hand. -->',
    '',
    '# Topic file format reference',
    '',
    'Every property of a topic file, generated from the schema the library validates with. A topic is one of three kinds,',
    'told apart by `kind` (S23). Properties with a default may be left out. Durations are ISO 8601 (`P2D`, `PT4H`, `P1W`;',
    'no years or months). Ids are ASCII: a letter or digit, then letters, digits, `_` or `-`, at most 64 characters.',
    '',
  ];
  for (const variant of schema.oneOf ?? []) {
    const kind = String(variant.properties?.kind?.const);
    lines.push(`## ${kind[0]?.toUpperCase()}${kind.slice(1)} topics`, '');
    const queue: Section[] = [{ title: `${kind} topic`, schema: variant }];
    const seen = new Set<string>();
    for (let section = queue.shift(); section !== undefined; section = queue.shift()) {
      if (seen.has(section.title)) continue;
      seen.add(section.title);
      lines.push(...render(section, queue));
    }
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
