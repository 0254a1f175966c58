/**
 * Helpers for the test suites of CRM developers: `import { assertValidTopic, topicRoutes } from 'crm-topics/testing'`.
 * They work with any test runner (vitest, jest, node:test, mocha): they
 * throw an ordinary `Error` with a readable message, or return data.
 *
 * @packageDocumentation
 */
export { assertValidTopic, assertValidTopicFile, type AssertValidOptions } from './assert-valid.js';
export { topicRoutes, type TopicRoute } from './routes.js';
