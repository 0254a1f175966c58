import { parse, type ParseError } from 'jsonc-parser';

/** jsonc-parser's parser recurses: texts nested deeper than this are not handed to it. */
const MAX_PARSER_DEPTH = 500;

/**
 * Where in a text `JSON.parse` failed, as an offset: read from V8's message
 * ("… in JSON at position 30"), the end of the text for "Unexpected end of
 * JSON input", else the first error jsonc-parser finds (only for texts
 * nested at most 500 deep, since its parser recurses). `undefined` when
 * none of these tells.
 *
 * @example
 * jsonSyntaxOffset('{"a" 1}', "Expected ':' after property name in JSON at position 5"); // 5
 * jsonSyntaxOffset('{"a":tru}', 'Unexpected token \'}\', "{"a":tru}" is not valid JSON'); // 5
 */
export function jsonSyntaxOffset(text: string, message: string): number | undefined {
  const stated = /at position (\d+)/.exec(message);
  if (stated?.[1] !== undefined) return Math.min(Number(stated[1]), text.length);
  if (message.includes('Unexpected end of JSON input')) return text.trimEnd().length;
  if (nestingDepth(text) > MAX_PARSER_DEPTH) return undefined;
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors[0]?.offset;
}

/** The deepest nesting of brackets and braces outside strings, counted without recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') deepest = Math.max(deepest, ++depth);
    else if (char === '}' || char === ']') depth--;
  }
  return deepest;
}

/**
 * V8's reason without its "at position N" (and any "(line L column C)"), for a message that gives line:column instead.
 *
 * @example
 * jsonSyntaxReason("Expected ':' after property name in JSON at position 5"); // "Expected ':' after property name in JSON"
 */
export function jsonSyntaxReason(message: string): string {
  return message.replace(/\s*at position \d+(?:\s*\(line \d+ column \d+\))?/, '');
}
