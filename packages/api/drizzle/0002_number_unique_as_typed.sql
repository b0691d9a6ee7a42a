DROP INDEX "orders_number_key";--> statement-breakpoint
DROP INDEX "orders_number_compact_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "orders_number_compact_key" ON "orders" USING btree ("number_compact");