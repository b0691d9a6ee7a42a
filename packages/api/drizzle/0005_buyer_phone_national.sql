ALTER TABLE "orders" ADD COLUMN "buyer_phone_national" text;--> statement-breakpoint
CREATE INDEX "orders_buyer_phone_national_idx" ON "orders" USING btree ("buyer_phone_national");