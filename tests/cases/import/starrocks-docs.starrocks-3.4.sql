-- The 3.4+ forms of StarRocks' BACKUP and RESTORE pages (`DATABASE d [AS e]`, `TABLE t`),
-- and STARROCKS.md §4's canonical printing of each.
BACKUP DATABASE sr_hub SNAPSHOT sr_hub_backup TO test_repo;
BACKUP DATABASE sr_hub SNAPSHOT sr_member_backup TO test_repo ON (TABLE sr_member);
BACKUP DATABASE sr_hub SNAPSHOT sr_two TO test_repo ON (TABLES sr_member, TABLE sr_pmember PARTITION (p1));
BACKUP DATABASE `sr_hub` SNAPSHOT `sr_three` TO `test_repo` ON (TABLE `sr_member` PARTITION (`p1`, `p2`)) PROPERTIES ("timeout" = "7200", "type" = "FULL");
RESTORE SNAPSHOT sr_hub_backup FROM test_repo DATABASE sr_hub
PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
RESTORE SNAPSHOT sr_member_backup FROM test_repo DATABASE sr_hub ON (TABLE sr_member)
PROPERTIES ("backup_timestamp" = "2024-12-09-10-25-58-842");
RESTORE SNAPSHOT sr_core_backup FROM test_repo DATABASE sr_hub AS sr_hub_new
PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
RESTORE SNAPSHOT sr_old_backup FROM test_repo DATABASE sr_hub AS sr_hub_new
ON (TABLE sr_member AS sr_member_new, TABLE sr_pmember PARTITION (p1, p2))
PROPERTIES ("backup_timestamp" = "2024-12-09-10-25-58-842", "replication_num" = "1");
RESTORE SNAPSHOT `sr_member_backup` FROM `test_repo` DATABASE `sr_hub` ON (TABLE `sr_member` PARTITION (`p1`) AS `m2`) PROPERTIES ("backup_timestamp" = "2024-12-09-10-25-58-842", "timeout" = "3600");
-- the legacy forms parse on every version
RESTORE SNAPSHOT example_db1.snapshot_2 FROM example_repo
ON (backup_tbl PARTITION (p1, p2), backup_tbl2 AS new_tbl)
PROPERTIES ("backup_timestamp"="2018-05-04-17-11-01");
DROP REPOSITORY `test_repo`;
