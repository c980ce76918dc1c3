-- `newsetl requeue --rule R`: the URLs quarantined for breaking rule R.
SELECT DISTINCT url
FROM quarantine
WHERE rule = ?
ORDER BY url;
