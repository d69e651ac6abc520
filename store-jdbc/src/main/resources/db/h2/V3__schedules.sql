-- Errand schema, version 3, for H2 2.x: recurring schedules. Safe to run again (see V1).
CREATE TABLE IF NOT EXISTS ${prefix}schedules (
  id              UUID PRIMARY KEY,
  organization_id VARCHAR(200) NOT NULL,
  owner_id        VARCHAR(200) NOT NULL,
  task_type       VARCHAR(100) NOT NULL,
  priority        INT NOT NULL,
  input           CHARACTER LARGE OBJECT NOT NULL,
  metadata        CHARACTER LARGE OBJECT NOT NULL,
  webhook_url     VARCHAR(2048),
  timeout_ms      BIGINT NOT NULL,
  max_attempts    INT NOT NULL,
  recurrence      VARCHAR(2000) NOT NULL,
  overlap         VARCHAR(16) NOT NULL,
  catch_up_limit  INT NOT NULL,
  status          VARCHAR(16) NOT NULL,
  next_fire_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  hold_until      TIMESTAMP WITH TIME ZONE,
  last_fire_at    TIMESTAMP WITH TIME ZONE,
  last_task_id    UUID,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}schedules_due ON ${prefix}schedules (status, next_fire_at, id);
CREATE INDEX IF NOT EXISTS ${prefix}schedules_org ON ${prefix}schedules (organization_id, created_at, id);
