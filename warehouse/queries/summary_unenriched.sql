-- Canonical articles a run loaded without entities and attributions (no spaCy model for their
-- language, settings NlpConfig.models), per language; copies are not counted (only near-copies are enriched).
SELECT coalesce(language, 'unknown') AS language, count(*) AS articles
FROM articles
WHERE run_id = ? AND is_canonical AND NOT enriched
GROUP BY 1
ORDER BY articles DESC, language;
