-- starrocks-restore-backup.mobak:5
CREATE REPOSITORY `nightly` WITH BROKER ON LOCATION "s3://bucket/nightly";
-- starrocks-restore-backup.mobak:6
BACKUP DATABASE `sales` SNAPSHOT `sales_all` TO `nightly`;
-- starrocks-restore-backup.mobak:7
-- destroys: a table of the backup that exists in the target database with the same schema is overwritten partition by partition (data written to those partitions since the backup is lost); one with a different schema makes the job fail; absent tables are created; other tables are left alone.
RESTORE SNAPSHOT `sales_all` FROM `nightly` PROPERTIES ("backup_timestamp" = "{backup_timestamp}");
-- starrocks-restore-backup.mobak:8
-- destroys: a table of the backup that exists in the target database with the same schema is overwritten partition by partition (data written to those partitions since the backup is lost); one with a different schema makes the job fail; absent tables are created; other tables are left alone.
RESTORE SNAPSHOT `crm_old` FROM `legacy` PROPERTIES ("backup_timestamp" = "2026-11-20-10-00-00-123", "replication_num" = "1", "timeout" = "3600");
