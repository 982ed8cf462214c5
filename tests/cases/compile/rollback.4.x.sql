-- rollback.mobak:7
CREATE SNAPSHOT `shop_before` FOR DATABASE `shop`;
-- rollback.mobak:8
-- destroys: drops and recreates database `shop` of account `acc1` from the source; anything written to the database since is lost.
RESTORE DATABASE `shop`{SNAPSHOT='nightly'};
-- rollback.mobak:9
-- destroys: drops and recreates table `crm.leads` of account `acc1` from the source; anything written to the table since is lost.
RESTORE TABLE `crm`.`leads`{SNAPSHOT='nightly'};
-- rollback.mobak:10
CREATE SNAPSHOT `acc1_before` FOR ACCOUNT;
-- rollback.mobak:11
-- destroys: first drops every non-system database of account `acc1`, then recreates them from the source; anything written since is lost.
RESTORE FROM PITR `acc_pitr` '2026-11-20 10:00:00';
-- rollback.mobak:12
-- verify: >= 1
SELECT COUNT(*) FROM `shop`.`orders`;
-- rollback on failure: run by apply, newest restore first, for the restores that ran, when a later statement or a verify fails
-- rollback of statement 2 (rollback.mobak:8)
RESTORE DATABASE `shop`{SNAPSHOT='shop_before'};
-- rollback of statement 3 (rollback.mobak:9)
RESTORE DATABASE `crm` TABLE `leads` FROM PITR `acc_pitr` '{before}';
-- rollback of statement 5 (rollback.mobak:11)
RESTORE ACCOUNT `acc1`{SNAPSHOT='acc1_before'};
