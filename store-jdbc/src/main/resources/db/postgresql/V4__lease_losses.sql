-- Errand schema, version 4, for PostgreSQL 12+: lost leases counted apart from the agent's
-- attempts.
ALTER TABLE ${prefix}tasks ADD COLUMN lease_losses INT NOT NULL DEFAULT 0;
