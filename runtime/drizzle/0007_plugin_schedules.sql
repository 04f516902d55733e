CREATE TABLE "plugin_schedule_runs" (
	"plugin_id" text NOT NULL,
	"name" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	CONSTRAINT "plugin_schedule_runs_plugin_id_name_minute_pk" PRIMARY KEY("plugin_id","name","minute")
);
