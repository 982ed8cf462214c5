-- restore-pitrs.mobak:4
CREATE PITR `pc` FOR CLUSTER RANGE 7 'd';
-- restore-pitrs.mobak:5
CREATE PITR `pa` FOR ACCOUNT `acc1` RANGE 7 'd';
-- restore-pitrs.mobak:6
CREATE PITR `own` FOR ACCOUNT RANGE 7 'd';
-- restore-pitrs.mobak:7
CREATE PITR `pd` FOR DATABASE `db1` RANGE 7 'd';
-- restore-pitrs.mobak:8
RESTORE CLUSTER FROM PITR `pc` '2026-01-31 23:00:00';
-- restore-pitrs.mobak:9
RESTORE FROM PITR `own` '2026-01-31 23:00:00';
-- restore-pitrs.mobak:10
RESTORE ACCOUNT `acc1` FROM PITR `pa` '2026-01-31 23:00:00';
-- restore-pitrs.mobak:11
RESTORE ACCOUNT `acc1` FROM PITR `pc` '2026-01-31 23:00:00' `acc1`;
-- restore-pitrs.mobak:12
RESTORE ACCOUNT `acc2` FROM PITR `pc` '2026-01-31 23:00:00' `acc1`;
-- restore-pitrs.mobak:13
RESTORE DATABASE `db1` FROM PITR `pd` '2026-01-31 23:00:00';
-- restore-pitrs.mobak:14
RESTORE DATABASE `db1` TABLE `t1` FROM PITR `pd` '2026-01-31 23:00:00';
