CREATE TABLE "record_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"entity_id" text NOT NULL,
	"entity_key" text NOT NULL,
	"record_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"actor_user_id" uuid,
	"request_id" text,
	"changes" jsonb NOT NULL,
	CONSTRAINT "record_history_action_ck" CHECK ("record_history"."action" in ('create', 'update', 'delete'))
);
--> statement-breakpoint
CREATE INDEX "record_history_record_idx" ON "record_history" USING btree ("entity_id","record_id","id" DESC NULLS LAST);