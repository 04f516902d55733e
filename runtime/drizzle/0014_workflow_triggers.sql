CREATE TABLE "workflow_trigger_claims" (
	"workflow_id" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"version" integer NOT NULL,
	"from_minute" timestamp with time zone,
	"cursor" text,
	"runs" integer DEFAULT 0 NOT NULL,
	"leased_until" timestamp with time zone,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "workflow_trigger_claims_workflow_id_minute_pk" PRIMARY KEY("workflow_id","minute")
);
--> statement-breakpoint
ALTER TABLE "workflow_runs" ADD COLUMN "trigger_key" text;--> statement-breakpoint
ALTER TABLE "workflows" ADD COLUMN "webhook_secret" text;--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_runs_trigger_key_uq" ON "workflow_runs" USING btree ("workflow_id","trigger_key");--> statement-breakpoint
CREATE INDEX "workflow_runs_finished_idx" ON "workflow_runs" USING btree ("finished_at");