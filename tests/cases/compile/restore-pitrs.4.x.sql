-- restore-pitrs.mobak:9
RESTORE CLUSTER FROM PITR `pc` '2026-11-20 23:00:00';
-- restore-pitrs.mobak:10
RESTORE FROM PITR `own` '2026-11-20 23:00:00';
-- restore-pitrs.mobak:11
RESTORE ACCOUNT `sys` FROM PITR `pc` '2026-11-20 23:00:00' `sys`;
-- restore-pitrs.mobak:12
RESTORE ACCOUNT `acc1` FROM PITR `pa` '2026-11-20 23:00:00';
-- restore-pitrs.mobak:13
RESTORE ACCOUNT `acc2` FROM PITR `pa` '2026-11-20 23:00:00';
-- restore-pitrs.mobak:14
RESTORE ACCOUNT `acc1` FROM PITR `pc` '2026-11-20 23:00:00' `acc1`;
-- restore-pitrs.mobak:15
RESTORE ACCOUNT `acc2` FROM PITR `pc` '2026-11-20 23:00:00' `acc1`;
-- restore-pitrs.mobak:16
RESTORE DATABASE `db1` FROM PITR `pd` '2026-11-20 23:00:00';
-- restore-pitrs.mobak:17
RESTORE DATABASE `db1` TABLE `t1` FROM PITR `pd` '2026-11-20 23:00:00';
