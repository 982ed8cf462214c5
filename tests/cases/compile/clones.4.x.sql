-- clones.mobak:5
CREATE SNAPSHOT `nightly` FOR ACCOUNT `acc1`;
-- clones.mobak:6
CREATE DATABASE `shop_check` CLONE `shop` {SNAPSHOT = 'nightly'};
-- clones.mobak:7
CREATE TABLE `shop`.`orders_check` CLONE `shop`.`orders` {SNAPSHOT = 'nightly'};
-- clones.mobak:8
CREATE DATABASE `shop_copy` CLONE `shop` {SNAPSHOT = 'nightly'} TO ACCOUNT `acc9`;
-- clones.mobak:10
CREATE DATABASE `shop_noon` CLONE `shop` {TIMESTAMP = '2026-11-20 12:00:00'};
-- clones.mobak:11
CREATE TABLE `shop`.`orders_noon` CLONE `shop`.`orders` {TIMESTAMP = '2026-11-20 12:00:00'} TO ACCOUNT `acc9`;
