CREATE TABLE "entity_definition_versions" (
	"entity_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb,
	"change" text NOT NULL,
	"plan_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entity_definition_versions_entity_id_version_pk" PRIMARY KEY("entity_id","version")
);
--> statement-breakpoint
CREATE TABLE "entity_definitions" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"parked_table" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "migration_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" text NOT NULL,
	"entity_key" text NOT NULL,
	"from_version" integer,
	"to_version" integer,
	"steps" jsonb NOT NULL,
	"confirmed" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"impacts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"duration_ms" integer NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parked_fields" (
	"entity_id" text NOT NULL,
	"field_id" text NOT NULL,
	"field" jsonb NOT NULL,
	"columns" jsonb NOT NULL,
	"parked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parked_fields_entity_id_field_id_pk" PRIMARY KEY("entity_id","field_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "entity_definitions_active_key_uq" ON "entity_definitions" USING btree ("key") WHERE status = 'active';