-- The seed of examples/incident-drill.mobak: acc7's shop, then (after the PITR exists) the
-- incident itself, a partial delete.
-- as account acc7
CREATE DATABASE shop;
CREATE TABLE shop.orders (id INT, total INT);
INSERT INTO shop.orders VALUES (1, 10), (2, 20), (3, 30), (4, 40);
-- after existing
DELETE FROM shop.orders WHERE id = 3;
