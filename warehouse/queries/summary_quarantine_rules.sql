-- Quarantined pages per stage and rule.
SELECT stage, rule, count(DISTINCT url) AS pages
FROM quarantine
GROUP BY stage, rule
ORDER BY pages DESC, stage, rule;
