-- Views and materialized views are tables to the server: imported as table items.
BACKUP DATABASE sr_hub SNAPSHOT s1 TO test_repo ON (VIEW v1, MATERIALIZED VIEW mv1, TABLE t1);
RESTORE SNAPSHOT s1 FROM test_repo DATABASE sr_hub ON (VIEWS v1 AS v2, MATERIALIZED VIEWS mv1) PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
-- From 4.0 an unparenthesised partition list goes on: p1 and p2 are partitions of t1.
BACKUP DATABASE sr_hub SNAPSHOT s2 TO test_repo ON (t1 PARTITION p1, p2);
-- The list stops where only the next item reads on: t2 is a table here (ANTLR reads ahead).
BACKUP DATABASE sr_hub SNAPSHOT s2b TO test_repo ON (t1 PARTITION p1, p2, t2 PARTITION p3, t3);
-- The server refuses temporary partitions when the job is submitted.
BACKUP DATABASE sr_hub SNAPSHOT s3 TO test_repo ON (t1 TEMPORARY PARTITION (tp1));
RESTORE SNAPSHOT s3 FROM test_repo DATABASE sr_hub ON (t1 TEMPORARY PARTITIONS tp1) PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
-- The legacy restore puts the backup into sr_copy whatever it holds: 3.4+ would add a check.
RESTORE SNAPSHOT sr_copy.s1 FROM test_repo PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
