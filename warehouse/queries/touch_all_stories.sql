-- Every story, for repeated_attributions.sql to recompute (warehouse.loader.refresh_repeats).
CREATE OR REPLACE TEMP TABLE touched_stories AS SELECT DISTINCT cluster_id AS story_id FROM articles;
