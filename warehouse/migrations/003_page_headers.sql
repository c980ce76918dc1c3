-- The response headers of every fetch (lowercased names), kept with the raw body for audits and refetch decisions.
ALTER TABLE pages ADD COLUMN headers JSON;
