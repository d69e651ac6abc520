-- Errand schema, version 5, for PostgreSQL 12+: a schedule keeps the idempotency key it was
-- created with, so that its id need not be derived from the key.
ALTER TABLE ${prefix}schedules ADD COLUMN idempotency_key VARCHAR(255);
CREATE UNIQUE INDEX ${prefix}schedules_idempotency ON ${prefix}schedules (organization_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
