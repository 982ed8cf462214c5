-- Data for the orders drill (examples/orders-drill.mobak), as account acc1.
CREATE TABLE orders.items (id INT, qty INT);
INSERT INTO orders.items VALUES (1, 2), (2, 1), (3, 5);

-- after existing
-- Written after last night's snapshot: the restore loses these, a rollback brings them back.
INSERT INTO orders.items VALUES (4, 0), (5, 3);
