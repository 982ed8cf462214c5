-- tenant.mobak:4
CREATE SNAPSHOT `s` FOR ACCOUNT;
-- tenant.mobak:5
CREATE SNAPSHOT `d` FOR DATABASE `db1`;
-- tenant.mobak:7
RESTORE ACCOUNT `acc1` DATABASE `db1` FROM SNAPSHOT `s`;
-- tenant.mobak:8
RESTORE ACCOUNT `acc1` DATABASE `db1` TABLE `t1` FROM SNAPSHOT `d`;
-- tenant.mobak:9
RESTORE ACCOUNT `acc1` FROM SNAPSHOT `s`;
-- tenant.mobak:10
RESTORE FROM PITR `p` '2026-11-20 23:00:00';
