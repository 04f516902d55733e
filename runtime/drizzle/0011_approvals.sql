CREATE TABLE "approval_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid,
	"step_id" text,
	"workflow_id" text,
	"entity_key" text NOT NULL,
	"record_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"message" text,
	"approvers" uuid[] NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"due_at" timestamp with time zone,
	"on_timeout" text,
	"escalate_to" uuid[],
	"escalated_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_how" text,
	"comment" text,
	"decided_at" timestamp with time zone,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "approval_requests_pending_due" ON "approval_requests" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "approval_requests_record" ON "approval_requests" USING btree ("entity_key","record_id");--> statement-breakpoint
CREATE INDEX "approval_requests_approvers" ON "approval_requests" USING gin ("approvers");--> statement-breakpoint
CREATE UNIQUE INDEX "approval_requests_dedupe" ON "approval_requests" USING btree ("dedupe_key") WHERE "approval_requests"."dedupe_key" is not null;