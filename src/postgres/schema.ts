/**
 * The store's tables, as versioned DDL: `migrate()` applies the versions a
 * database has not seen yet, each in its own transaction, recorded in
 * `crm_schema_versions`. Running it again changes nothing.
 *
 * @module
 */

/**
 * The versions in order; a version's statements never change once released, later changes are new versions.
 * Version 1: topics, deals, their log and the effects outbox. Version 2: the notice marker and the
 * `deadlines` check of a deal, the migration scan's index, and overdue notices in the outbox.
 *
 * @example
 * SCHEMA_VERSIONS.map((each) => each.version); // [1, 2]
 */
export const SCHEMA_VERSIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE crm_topics (
  id         text NOT NULL,
  version    int NOT NULL CHECK (version >= 1),
  kind       text NOT NULL,
  definition jsonb NOT NULL,
  saved_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);
-- Every saved version is kept as it was: no update, no delete.
CREATE FUNCTION crm_topics_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'topic versions are immutable (% v%)', OLD.id, OLD.version USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER crm_topics_immutable BEFORE UPDATE OR DELETE ON crm_topics
  FOR EACH ROW EXECUTE FUNCTION crm_topics_immutable();

CREATE TABLE crm_deals (
  id            text PRIMARY KEY,
  topic_id      text NOT NULL,
  topic_version int NOT NULL,
  client_id     text NOT NULL,
  status        text NOT NULL CHECK (status IN ('open', 'finished', 'closed')),
  stage_id      text NOT NULL,
  stage_due_at  bigint,
  due_at        bigint,
  idle_due_at   bigint,
  revision      int NOT NULL,
  state         jsonb NOT NULL
);
-- The overdue scan: open deals of a topic by their earliest deadline (LEAST skips NULLs), keyset-paginated on (deadline, id).
CREATE INDEX crm_deals_overdue ON crm_deals (topic_id, LEAST(stage_due_at, due_at, idle_due_at), id)
  WHERE status = 'open' AND LEAST(stage_due_at, due_at, idle_due_at) IS NOT NULL;
-- A client's running deals on a topic (concurrent deals, S32).
CREATE INDEX crm_deals_client ON crm_deals (topic_id, client_id) WHERE status <> 'closed';

CREATE TABLE crm_deal_entries (
  deal_id  text NOT NULL REFERENCES crm_deals (id),
  revision int NOT NULL,
  event_id text,
  entry    jsonb NOT NULL,
  PRIMARY KEY (deal_id, revision)
);
-- An event id is unique per deal: the same event sent twice is stored once.
CREATE UNIQUE INDEX crm_deal_entries_event ON crm_deal_entries (deal_id, event_id) WHERE event_id IS NOT NULL;

CREATE TABLE crm_effects (
  id          bigserial PRIMARY KEY,
  deal_id     text NOT NULL,
  revision    int NOT NULL,
  seq         int NOT NULL,
  effect      jsonb NOT NULL,
  claimed_by  text,
  lease_until timestamptz,
  attempts    int NOT NULL DEFAULT 0,
  done_at     timestamptz,
  UNIQUE (deal_id, revision, seq)
);
-- The claim: pending effects in id order; done ones leave the index.
CREATE INDEX crm_effects_pending ON crm_effects (id) WHERE done_at IS NULL;
`,
  },
  {
    // Overdue notices (notifyOverdue), deals kept on their old deadlines by a migration, and the migration scan (migrateDeals).
    version: 2,
    sql: `
-- The deadline last notified per limit kind, as overdueNotices returns it ({ stage, deal, idle }); NULL: none yet.
ALTER TABLE crm_deals ADD COLUMN notice_marker jsonb;
-- How parseDeal checks the deal's deadlines: 'ignore' for a deal migrated with deadlines: 'keep'.
ALTER TABLE crm_deals ADD COLUMN deadlines text NOT NULL DEFAULT 'check' CHECK (deadlines IN ('check', 'ignore'));
-- Room on each page for the next version of a row: most changes touch no indexed column (a field, a cyclic
-- outcome, an activity), and a row rewritten on its own page is a heap-only update that writes no index.
ALTER TABLE crm_deals SET (fillfactor = 70);
-- A topic's deals on one version, by id: the resumable migration scan.
CREATE INDEX crm_deals_version ON crm_deals (topic_id, topic_version, id);

-- An overdue notice is an outbox row of its own kind (effect type 'dealOverdue'), at most one per deal, limit kind and deadline.
ALTER TABLE crm_effects ADD COLUMN notice_kind text CHECK (notice_kind IN ('stage', 'deal', 'idle'));
ALTER TABLE crm_effects ADD COLUMN notice_due_at bigint;
ALTER TABLE crm_effects ADD CONSTRAINT crm_effects_notice CHECK ((notice_kind IS NULL) = (notice_due_at IS NULL));
-- Partial, so the effects of events (no notice kind) add nothing to it; notifyOverdue names it as its ON CONFLICT arbiter.
CREATE UNIQUE INDEX crm_effects_notice_once ON crm_effects (deal_id, notice_kind, notice_due_at) WHERE notice_kind IS NOT NULL;
`,
  },
];
