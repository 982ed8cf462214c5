-- quoting.mobak:4
CREATE SNAPSHOT `table` FOR CLUSTER;
-- quoting.mobak:5
CREATE SNAPSHOT `a;drop` FOR DATABASE `$%^#`;
-- quoting.mobak:6
CREATE SNAPSHOT `ünïcode_名前` FOR TABLE `select` `from`;
-- quoting.mobak:7
CREATE PITR `p-1` FOR DATABASE `db-1` RANGE 12 'h';
-- quoting.mobak:8
-- destroys: drops and recreates database `$%^#` of account `sys` from the source; anything written to the database since is lost.
RESTORE ACCOUNT `sys` DATABASE `$%^#` FROM SNAPSHOT `a;drop`;
