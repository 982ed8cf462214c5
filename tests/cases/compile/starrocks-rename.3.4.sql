-- starrocks-rename.mobak:5
-- destroys: a table of the backup that exists in the target database with the same schema is overwritten partition by partition (data written to those partitions since the backup is lost); one with a different schema makes the job fail; absent tables are created; other tables are left alone.
RESTORE SNAPSHOT `2026-11-20 nightly` FROM `repo` DATABASE `sales` AS `sales_copy` ON (TABLE `Order Lines` AS `x"y`) PROPERTIES ("backup_timestamp" = "2026-11-20-10-00-00-123");
-- starrocks-rename.mobak:6
-- destroys: a table of the backup that exists in the target database with the same schema is overwritten partition by partition (data written to those partitions since the backup is lost); one with a different schema makes the job fail; absent tables are created; other tables are left alone.
RESTORE SNAPSHOT `s` FROM `repo` DATABASE `we;ird` AS `drop table t; --` PROPERTIES ("backup_timestamp" = "2026-11-20-10-00-00-123");
