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
  const merged: Record<string, FieldValue> = {};
  for (const [id, value] of Object.entries(current)) if (!Object.hasOwn(values, id)) merged[id] = value;
  for (const [id, value] of Object.entries(values)) {
    const field = topic.fields.get(id);
    const at = `${path}.${id}`;
    if (field === undefined) return { ok: false, error: dealError('unknown_field', { id }, at) };
    if (value === null) continue;
    const expected = expectation(field, value);
    if (expected !== undefined) return { ok: false, error: dealError('invalid_field_value', { id, ...expected }, at) };
    merged[id] = value;
  }
  return { ok: true, fields: merged };
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
