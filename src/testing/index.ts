/**
 * Helpers for the test suites of CRM developers: `import { assertValidTopic, topicRoutes, topicPaths } from 'crm-topics/testing'`.
 * `topicPaths` lives here rather than in the main entry because it needs
 * `xstate/graph`, whose loading an app should not pay for.
 * They work with any test runner (vitest, jest, node:test, mocha): they
 * throw an ordinary `Error` with a readable message, or return data.
 *
 * @packageDocumentation
 */
export { assertValidTopic, assertValidTopicFile, type AssertValidOptions } from './assert-valid.js';
export { topicRoutes, type TopicRoute } from './routes.js';
export { topicPaths, type TopicPath, type TopicPathsOptions } from '../compile/paths.js';
