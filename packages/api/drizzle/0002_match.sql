CREATE TABLE "match_feedback" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "match_feedback_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"order_id" integer NOT NULL,
	"kind" text NOT NULL,
	"message_id_norm" text,
	"sender_canonical" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sent_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sent_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"order_id" integer NOT NULL,
	"message_id" text NOT NULL,
	"message_id_norm" text NOT NULL,
	"subject" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"origin" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "match_feedback" ADD CONSTRAINT "match_feedback_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sent_messages" ADD CONSTRAINT "sent_messages_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "match_feedback_message_idx" ON "match_feedback" USING btree ("message_id_norm") WHERE message_id_norm is not null;--> statement-breakpoint
CREATE INDEX "match_feedback_sender_idx" ON "match_feedback" USING btree ("sender_canonical") WHERE sender_canonical is not null;--> statement-breakpoint
CREATE INDEX "match_feedback_order_idx" ON "match_feedback" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sent_messages_message_id_key" ON "sent_messages" USING btree ("message_id_norm");--> statement-breakpoint
CREATE INDEX "sent_messages_order_idx" ON "sent_messages" USING btree ("order_id");