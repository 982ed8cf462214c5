-- tenant.mobak:4
CREATE SNAPSHOT `s` FOR ACCOUNT;
-- tenant.mobak:5
CREATE SNAPSHOT `d` FOR DATABASE `db1`;
-- tenant.mobak:7
-- destroys: drops and recreates database `db1` of account `acc1` from the source; anything written to the database since is lost.
RESTORE DATABASE `db1`{SNAPSHOT='s'};
-- tenant.mobak:8
-- destroys: drops and recreates table `db1.t1` of account `acc1` from the source; anything written to the table since is lost.
RESTORE TABLE `db1`.`t1`{SNAPSHOT='d'};
-- tenant.mobak:9
-- destroys: first drops every non-system database of account `acc1`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `acc1`{SNAPSHOT='s'};
-- tenant.mobak:10
-- destroys: first drops every non-system database of account `acc1`, then recreates them from the source; anything written since is lost.
RESTORE FROM PITR `p` '2026-11-20 23:00:00';
