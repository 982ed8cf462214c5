-- pitrs.mobak:4
CREATE PITR `pc` FOR CLUSTER RANGE 7 'd';
-- pitrs.mobak:5
CREATE PITR `pa` FOR ACCOUNT RANGE 2 'h';
-- pitrs.mobak:6
CREATE PITR `pa1` FOR ACCOUNT `acc1` RANGE 1 'mo';
-- pitrs.mobak:7
CREATE PITR `pd` FOR DATABASE `db1` RANGE 1 'y';
-- pitrs.mobak:8
CREATE PITR `pt` FOR TABLE `db1` `t1` RANGE 3 'd';
-- pitrs.mobak:9
CREATE PITR IF NOT EXISTS `pd2` FOR DATABASE `db2` RANGE 1 'd';
-- pitrs.mobak:10
ALTER PITR `pd` RANGE 14 'd';
-- pitrs.mobak:11
ALTER PITR IF EXISTS `pd2` RANGE 14 'd';
-- pitrs.mobak:12
DROP PITR `pt`;
-- pitrs.mobak:13
DROP PITR IF EXISTS `pd2`;
