CREATE TABLE "pool_claims" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"entity_id" text NOT NULL,
	"record_id" uuid NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "pool_claims_user_entity_at" ON "pool_claims" USING btree ("user_id","entity_id","claimed_at");