-- tenant.mobak:4
CREATE SNAPSHOT `s` FOR ACCOUNT;
-- tenant.mobak:5
CREATE SNAPSHOT `d` FOR DATABASE `db1`;
-- tenant.mobak:7
RESTORE DATABASE `db1`{SNAPSHOT='s'};
-- tenant.mobak:8
RESTORE TABLE `db1`.`t1`{SNAPSHOT='d'};
-- tenant.mobak:9
RESTORE ACCOUNT `acc1`{SNAPSHOT='s'};
-- tenant.mobak:10
RESTORE FROM PITR `p` '2026-11-20 23:00:00';
