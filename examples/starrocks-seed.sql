-- The data the StarRocks drill backs up (examples/starrocks-restore.mobak).
CREATE DATABASE sales;
CREATE TABLE sales.orders (id INT, amount INT);
INSERT INTO sales.orders VALUES (1, 10), (2, 20), (3, 30);
CREATE TABLE sales.items (id INT, sku TEXT);
INSERT INTO sales.items VALUES (1, 'a');
