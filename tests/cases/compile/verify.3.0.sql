-- verify.mobak:4
CREATE SNAPSHOT `orders_before` FOR DATABASE `orders`;
-- verify.mobak:5
-- destroys: drops and recreates database `orders` of account `acc1` from the source; anything written to the database since is lost.
RESTORE ACCOUNT `acc1` DATABASE `orders` FROM SNAPSHOT `orders_daily`;
-- verify.mobak:6
-- verify: >= 1000
SELECT COUNT(*) FROM `orders`.`items`;
-- verify.mobak:7
-- verify: = 1
SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'orders' AND table_name = 'items';
-- verify.mobak:8
-- verify: = 1
SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'orders';
-- verify.mobak:9
-- verify: = 3
SELECT count(*) FROM orders.items WHERE id > 0;
-- verify.mobak:10
-- verify: = "ok \"green\""
SELECT 'ok' FROM orders.items LIMIT 1;
