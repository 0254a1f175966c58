/**
 * Which objects `compileTopic` made. A compiled topic is frozen and indexed;
 * functions that take one ask here first, so a `null`, a look-alike or a
 * proxy in the topic's place gets a typed answer instead of a `TypeError`.
 * A `WeakSet` lookup runs no getter and no proxy trap, and keeps nothing alive.
 *
 * @module
 */
import type { CompiledTopic } from './compiled-topic.js';

/*
 * One set for every copy of the library in the process: the CommonJS and ESM
 * builds, or the main entry and `crm-topics/testing` under CommonJS, each
 * carry their own module, yet a topic one compiled must pass the others.
 * A registered symbol on globalThis is the one name they all share.
 */
const REGISTRY = Symbol.for('crm-topics.compiled-topics');
const shared = globalThis as { [REGISTRY]?: WeakSet<object> };
const compiled: WeakSet<object> = (shared[REGISTRY] ??= new WeakSet<object>());

/** Records a topic as made by `compileTopic`; returns it. */
export function markCompiled<T extends object>(topic: T): T {
  compiled.add(topic);
  return topic;
}

/**
 * Whether a value is a topic that `compileTopic` returned (not a copy, a
 * look-alike or a proxy of one).
 *
 * @example
 * isCompiledTopic(compileTopic(standardTopic)); // true
 * isCompiledTopic({ ...compileTopic(standardTopic) }); // false
 */
export function isCompiledTopic(value: unknown): value is CompiledTopic {
  return typeof value === 'object' && value !== null && compiled.has(value);
}
