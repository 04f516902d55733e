-- Entity tables are built from metadata in their own schema; soft-deleted ones wait in the trash schema.
CREATE SCHEMA IF NOT EXISTS "data";
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS "data_trash";
