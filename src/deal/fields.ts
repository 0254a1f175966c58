import type { CompiledSalesTopic } from '../compile/compiled-topic.js';
import type { FieldDefinition } from '../definition/schema.js';
import { isCalendarDate } from '../time/date.js';
import { fitsLength } from '../definition/text.js';
import type { FieldValue } from './deal.js';
import { dealError, type DealError } from './errors.js';

/**
 * Checks field values against the topic's field definitions (S29) and
 * returns the deal's fields with them merged in (`null` clears a field), or
 * the first error with the path of the field.
 *
 * @example
 * mergeFields(compiled, deal.fields, { 'delivery-date': '2026-02-01' }, 'fields');
 */
export function mergeFields(
  topic: CompiledSalesTopic,
  current: Readonly<Record<string, FieldValue>>,
  values: Readonly<Record<string, FieldValue | null>>,
  path: string,
): { readonly ok: true; readonly fields: Readonly<Record<string, FieldValue>> } | { readonly ok: false; readonly error: DealError } {
  let clears = false;
  for (const id in values) {
    const value = values[id] as FieldValue | null;
    const field = topic.fields.get(id);
    if (field === undefined) return { ok: false, error: dealError('unknown_field', { id }, `${path}.${id}`) };
    if (value === null) {
      clears = true;
      continue;
    }
    const expected = expectation(field, value);
    if (expected !== undefined) return { ok: false, error: dealError('invalid_field_value', { id, ...expected }, `${path}.${id}`) };
  }
  // The values are checked copies (own keys, never "__proto__"). A spread copies the current fields in one step, so one
  // value costs about the same on a deal with many fields set; only clearing a field (rare) rebuilds the object.
  const merged: Record<string, FieldValue> = { ...current };
  for (const id in values) {
    const value = values[id] as FieldValue | null;
    if (value !== null) merged[id] = value;
  }
  return { ok: true, fields: clears ? withoutCleared(merged, values) : merged };
}

/** The fields without those set to `null`, built anew rather than with `delete` (which would leave a slow object). */
function withoutCleared(fields: Record<string, FieldValue>, values: Readonly<Record<string, FieldValue | null>>): Record<string, FieldValue> {
  const kept: Record<string, FieldValue> = {};
  for (const id in fields) if (values[id] !== null) kept[id] = fields[id] as FieldValue;
  return kept;
}

/** What the field expects when the value does not fit (the `expected` of `invalid_field_value`, and its `limit`), else `undefined`. */
function expectation(field: FieldDefinition, value: FieldValue): { expected: string; limit?: number | string } | undefined {
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') return { expected: 'text' };
      // Characters as people see them (grapheme clusters after NFC), at most 4 UTF-16 code units each; see fitsLength.
      return field.maxLength !== undefined && !fitsLength(value, field.maxLength) ? { expected: 'maxLength', limit: field.maxLength } : undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { expected: 'number' };
      if (field.min !== undefined && value < field.min) return { expected: 'min', limit: field.min };
      return field.max !== undefined && value > field.max ? { expected: 'max', limit: field.max } : undefined;
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? undefined : { expected: 'date' };
    case 'boolean':
      return typeof value === 'boolean' ? undefined : { expected: 'boolean' };
    case 'select':
      return typeof value === 'string' && field.options.some((option) => option.id === value)
        ? undefined
        : { expected: 'option', limit: field.options.map((option) => `"${option.id}"`).join(', ') };
  }
}

/**
 * The fields a stage requires that are still empty, for a deal about to enter it.
 *
 * @example
 * missingFields(compiled.stages.get('shipment')!.requiredFields, deal.fields); // ['delivery-date']
 */
export function missingFields(required: readonly string[], fields: Readonly<Record<string, FieldValue>>): string[] {
  return required.filter((id) => !Object.hasOwn(fields, id) || fields[id] === '');
}
