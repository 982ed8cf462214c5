/* MatrixOne's clones (3.0.0+): a copy beside the original */
create snapshot sp for database shop;
CREATE DATABASE shop_check CLONE shop {SNAPSHOT = 'sp'};
create table shop.orders_check clone shop.orders {snapshot = 'sp'};
CREATE DATABASE `shop_copy` CLONE `shop` {SNAPSHOT = 'sp'} TO ACCOUNT acc9;
CREATE DATABASE shop_noon CLONE shop {TIMESTAMP = '2026-01-10 12:00:00'};
CREATE DATABASE IF NOT EXISTS shop_check CLONE shop {SNAPSHOT = 'sp'};
