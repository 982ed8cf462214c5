-- 3.3: the legacy restore is the plan's restore (3.3 sends it back as SNAPSHOT db.label).
RESTORE SNAPSHOT sr_copy.s1 FROM test_repo PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
-- 3.3 has no VIEW items (3.4+ syntax).
BACKUP SNAPSHOT sr_hub.s1 TO test_repo ON (VIEW v1);
-- One unparenthesised partition name; the comma starts the next table.
BACKUP SNAPSHOT sr_hub.s2 TO test_repo ON (t1 PARTITION p1, p2);
