-- Errand schema, version 2, for PostgreSQL 12+: the webhook delivery outbox.
CREATE TABLE ${prefix}webhook_deliveries (
  event_seq          BIGINT PRIMARY KEY,
  task_id            UUID NOT NULL,
  organization_id    VARCHAR(200) NOT NULL,
  url                VARCHAR(2048) NOT NULL,
  event_type         VARCHAR(32) NOT NULL,
  event_at           TIMESTAMPTZ NOT NULL,
  task_status        VARCHAR(16) NOT NULL,
  task_started_at    TIMESTAMPTZ,
  metadata           JSONB NOT NULL,
  status             VARCHAR(16) NOT NULL,
  attempts           INT NOT NULL,
  next_attempt_at    TIMESTAMPTZ NOT NULL,
  last_response_code INT,
  last_error         VARCHAR(1000),
  updated_at         TIMESTAMPTZ NOT NULL
);
-- Only PENDING deliveries are taken, earliest due first.
CREATE INDEX ${prefix}webhook_deliveries_due ON ${prefix}webhook_deliveries (next_attempt_at, event_seq)
  WHERE status = 'PENDING';
CREATE INDEX ${prefix}webhook_deliveries_task ON ${prefix}webhook_deliveries (task_id, event_seq);
CREATE INDEX ${prefix}webhook_deliveries_url ON ${prefix}webhook_deliveries (organization_id, url)
  WHERE status = 'PENDING';

-- Whether the event's task has a webhook URL, so that preparing deliveries reads only those tasks.
ALTER TABLE ${prefix}events ADD COLUMN webhook BOOLEAN NOT NULL DEFAULT FALSE;

-- URLs that answered 410 Gone: nothing more is delivered to them.
CREATE TABLE ${prefix}webhook_gone_urls (
  organization_id VARCHAR(200) NOT NULL,
  url             VARCHAR(2048) NOT NULL,
  gone_at         TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, url)
);

-- How far the numbered events have been considered for deliveries. The events a database upgraded
-- from version 1 already holds (numbered or not: events are numbered when first read) are never
-- delivered after the fact: those with an id up to skip_through_id are passed over.
CREATE TABLE ${prefix}webhook_cursor (
  id       INT PRIMARY KEY,
  last_seq        BIGINT NOT NULL,
  skip_through_id BIGINT NOT NULL
);
INSERT INTO ${prefix}webhook_cursor (id, last_seq, skip_through_id)
  SELECT 1, s.last_seq, (SELECT COALESCE(MAX(id), 0) FROM ${prefix}events)
  FROM ${prefix}event_sequencer s WHERE s.id = 1;
