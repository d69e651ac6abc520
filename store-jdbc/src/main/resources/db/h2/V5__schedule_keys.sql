-- Errand schema, version 5, for H2 2.x: a schedule keeps the idempotency key it was created with,
-- so that its id need not be derived from the key. Safe to run again (see V1).
ALTER TABLE ${prefix}schedules ADD COLUMN IF NOT EXISTS idempotency_key VARCHAR(255);
CREATE UNIQUE INDEX IF NOT EXISTS ${prefix}schedules_idempotency ON ${prefix}schedules (organization_id, idempotency_key);
