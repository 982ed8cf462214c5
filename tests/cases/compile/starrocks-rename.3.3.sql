-- starrocks-rename.mobak:5
-- destroys: a table of the backup that exists in the target database with the same schema is overwritten partition by partition (data written to those partitions since the backup is lost); one with a different schema makes the job fail; absent tables are created; other tables are left alone.
RESTORE SNAPSHOT `sales_copy`.`2026-11-20 nightly` FROM `repo` ON (`Order Lines` AS `x"y`) PROPERTIES ("backup_timestamp" = "2026-11-20-10-00-00-123");
-- starrocks-rename.mobak:6
-- destroys: a table of the backup that exists in the target database with the same schema is overwritten partition by partition (data written to those partitions since the backup is lost); one with a different schema makes the job fail; absent tables are created; other tables are left alone.
RESTORE SNAPSHOT `drop table t; --`.`s` FROM `repo` PROPERTIES ("backup_timestamp" = "2026-11-20-10-00-00-123");
