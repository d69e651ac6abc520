-- Errand schema, version 4, for H2 2.x: lost leases counted apart from the agent's attempts.
-- Safe to run again (see V1).
ALTER TABLE ${prefix}tasks ADD COLUMN IF NOT EXISTS lease_losses INT DEFAULT 0 NOT NULL;
