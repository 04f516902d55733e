export type { EntityDefinition, FieldDefinition } from "@crm/core";
