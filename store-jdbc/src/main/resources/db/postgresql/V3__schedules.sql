-- Errand schema, version 3, for PostgreSQL 12+: recurring schedules.
CREATE TABLE ${prefix}schedules (
  id              UUID PRIMARY KEY,
  organization_id VARCHAR(200) NOT NULL,
  owner_id        VARCHAR(200) NOT NULL,
  task_type       VARCHAR(100) NOT NULL,
  priority        INT NOT NULL,
  input           JSONB NOT NULL,
  metadata        JSONB NOT NULL,
  webhook_url     VARCHAR(2048),
  timeout_ms      BIGINT NOT NULL,
  max_attempts    INT NOT NULL,
  recurrence      VARCHAR(2000) NOT NULL,
  overlap         VARCHAR(16) NOT NULL,
  catch_up_limit  INT NOT NULL,
  status          VARCHAR(16) NOT NULL,
  next_fire_at    TIMESTAMPTZ NOT NULL,
  hold_until      TIMESTAMPTZ,
  last_fire_at    TIMESTAMPTZ,
  last_task_id    UUID,
  created_at      TIMESTAMPTZ NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL
);
-- Only ACTIVE schedules are due.
CREATE INDEX ${prefix}schedules_due ON ${prefix}schedules (next_fire_at, id) WHERE status = 'ACTIVE';
CREATE INDEX ${prefix}schedules_org ON ${prefix}schedules (organization_id, created_at, id);
