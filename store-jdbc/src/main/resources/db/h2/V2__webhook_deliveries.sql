-- Errand schema, version 2, for H2 2.x: the webhook delivery outbox. Safe to run again (see V1).
CREATE TABLE IF NOT EXISTS ${prefix}webhook_deliveries (
  event_seq          BIGINT PRIMARY KEY,
  task_id            UUID NOT NULL,
  organization_id    VARCHAR(200) NOT NULL,
  url                VARCHAR(2048) NOT NULL,
  event_type         VARCHAR(32) NOT NULL,
  event_at           TIMESTAMP WITH TIME ZONE NOT NULL,
  task_status        VARCHAR(16) NOT NULL,
  task_started_at    TIMESTAMP WITH TIME ZONE,
  metadata           CHARACTER LARGE OBJECT NOT NULL,
  status             VARCHAR(16) NOT NULL,
  attempts           INT NOT NULL,
  next_attempt_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  last_response_code INT,
  last_error         VARCHAR(1000),
  updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}webhook_deliveries_due ON ${prefix}webhook_deliveries (status, next_attempt_at, event_seq);
CREATE INDEX IF NOT EXISTS ${prefix}webhook_deliveries_task ON ${prefix}webhook_deliveries (task_id, event_seq);
CREATE INDEX IF NOT EXISTS ${prefix}webhook_deliveries_url ON ${prefix}webhook_deliveries (organization_id, url, status);

-- Whether the event's task has a webhook URL, so that preparing deliveries reads only those tasks.
ALTER TABLE ${prefix}events ADD COLUMN IF NOT EXISTS webhook BOOLEAN DEFAULT FALSE NOT NULL;

-- URLs that answered 410 Gone: nothing more is delivered to them.
CREATE TABLE IF NOT EXISTS ${prefix}webhook_gone_urls (
  organization_id VARCHAR(200) NOT NULL,
  url             VARCHAR(2048) NOT NULL,
  gone_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (organization_id, url)
);

-- How far the numbered events have been considered for deliveries. The events a database upgraded
-- from version 1 already holds (numbered or not: events are numbered when first read) are never
-- delivered after the fact: those with an id up to skip_through_id are passed over.
CREATE TABLE IF NOT EXISTS ${prefix}webhook_cursor (
  id       INT PRIMARY KEY,
  last_seq        BIGINT NOT NULL,
  skip_through_id BIGINT NOT NULL
);
MERGE INTO ${prefix}webhook_cursor (id, last_seq, skip_through_id) KEY (id)
  SELECT 1, s.last_seq, (SELECT COALESCE(MAX(id), 0) FROM ${prefix}events)
  FROM ${prefix}event_sequencer s WHERE s.id = 1
  AND NOT EXISTS (SELECT 1 FROM ${prefix}webhook_cursor WHERE id = 1);
