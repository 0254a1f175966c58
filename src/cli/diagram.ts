import { compileTopic } from '../compile/compile.js';
import { topicDiagram, type DiagramFormat } from '../compile/diagram.js';
import { TopicValidationError } from '../definition/issue.js';
import type { PictureLocale } from '../picture/labels.js';
import { topicSvg } from '../picture/topic-svg.js';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';
import { terminalSafe } from './terminal-text.js';
import { readTopicFile } from './topic-file.js';

/**
 * `crm-topics diagram <file> [--format mermaid|dot|svg] [--locale en|ru]`:
 * prints the topic as a diagram, or as an SVG picture (its text is escaped for
 * XML, with control and bidi characters removed, so it is terminal-safe too).
 *
 * @example
 * diagramCommand('topic.json', { format: 'svg', locale: 'ru' }, io); // 0
 */
export function diagramCommand(file: string, options: { readonly format: DiagramFormat | 'svg'; readonly locale?: PictureLocale }, io: CliIo): number {
  const topic = compileFile(file, io);
  if (topic === undefined) return 1;
  const text = options.format === 'svg' ? topicSvg(topic, { locale: options.locale ?? 'en' }) : topicDiagram(topic, options.format);
  io.stdout(terminalSafe(text, { keepLines: true }));
  return 0;
}

/**
 * Reads and compiles a sales topic file for a command; prints the issues and
 * returns `undefined` when the topic is invalid.
 */
export function compileFile(file: string, io: CliIo) {
  try {
    const { value, issues } = readTopicFile(io.cwd, file);
    if (issues.length > 0) throw new TopicValidationError(issues);
    const compiled = compileTopic(value);
    if (compiled.kind !== 'sales') throw new UsageError(`${file}: ${compiled.kind === 'audit' ? 'an audit' : 'a service'} topic has no stages; expected a sales topic`);
    return compiled;
  } catch (error) {
    if (!(error instanceof TopicValidationError)) throw error;
    const name = terminalSafe(file);
    io.stderr(`${name}: invalid topic (run "crm-topics validate ${name}" for every issue)\n`);
    for (const issue of error.issues.filter((candidate) => candidate.severity === 'error').slice(0, 5)) {
      io.stderr(`  ${terminalSafe(issue.path) || '(topic)'}: ${terminalSafe(issue.message)} [${issue.code}]\n`);
    }
    return undefined;
  }
}
