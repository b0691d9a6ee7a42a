-- Order numbers for orders that arrive without one.
CREATE SEQUENCE IF NOT EXISTS order_number_seq START WITH 1000;
--> statement-breakpoint
INSERT INTO order_statuses (id, name, customer_name, colour, final, position) VALUES
  ('new', 'New', 'Received', '#1e88e5', false, 10),
  ('paid', 'Paid', 'Payment received', '#43a047', false, 20),
  ('processing', 'Processing', 'Being prepared', '#fb8c00', false, 30),
  ('shipped', 'Shipped', 'On its way', '#8e24aa', false, 40),
  ('delivered', 'Delivered', 'Delivered', '#2e7d32', true, 50),
  ('cancelled', 'Cancelled', 'Cancelled', '#757575', true, 60),
  ('returned', 'Returned', 'Returned', '#6d4c41', true, 70)
ON CONFLICT (id) DO NOTHING;
--> statement-breakpoint
INSERT INTO shop_settings (id) VALUES (1) ON CONFLICT (id) DO NOTHING;
