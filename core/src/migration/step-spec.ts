import type { EntityDefinition, FieldDefinition, OnDelete } from "../definition/types.ts";
import type { Fragment } from "./sql.ts";

/** A table somewhere: schema `data` normally, `data_trash` while parked. */
export interface TableName {
  schema: string;
  name: string;
}

export interface Rename {
  from: string;
  to: string;
}

/** A foreign key from a manyToOne column to its target table's `id`. */
export interface ForeignKey {
  name: string;
  column: string;
  target: TableName;
  onDelete: OnDelete;
}

/** What a step does, as typed parameters. `renderStep` turns each into SQL. Physical names are already resolved. */
export type StepSpec =
  | { kind: "createTable"; table: TableName; entity: EntityDefinition }
  | { kind: "renameTable"; from: TableName; to: string; joinTables: Rename[] }
  | { kind: "parkTable"; table: TableName; parked: TableName; joinTables: Array<{ from: TableName; to: TableName }> }
  | { kind: "restoreTable"; parked: TableName; table: TableName; joinTables: Array<{ from: TableName; to: TableName }> }
  | { kind: "addColumn"; table: TableName; entity: EntityDefinition; field: FieldDefinition; foreignKey?: ForeignKey }
  | { kind: "renameColumn"; table: TableName; renames: Rename[] }
  | { kind: "parkColumn"; table: TableName; renames: Rename[]; dropNotNull?: string; foreignKey?: ForeignKey }
  | { kind: "restoreColumn"; table: TableName; renames: Rename[] }
  | { kind: "createJoinTable"; table: TableName; source: TableName; target: TableName; primaryKey: string; targetIndex: string }
  | { kind: "renameJoinTable"; from: TableName; to: string }
  | { kind: "parkJoinTable"; from: TableName; to: TableName }
  | { kind: "restoreJoinTable"; from: TableName; to: TableName }
  | {
      kind: "changeType";
      table: TableName;
      column: string;
      /** New column type when it changes; absent when only values change (e.g. text → email). */
      sqlType?: string;
      /** New value over the column; absent when values stay as they are. */
      convert?: Fragment;
      dropDefaults: string[];
      dropNotNull: boolean;
      currency?: { action: "add"; column: string; stale: string; fill?: string } | { action: "park"; column: string; parked: string };
      dropSequence?: TableName;
    }
  | { kind: "changePrecision"; table: TableName; column: string; sqlType: string; convert: Fragment }
  | { kind: "changeOptions"; table: TableName; column: string; multiple: boolean; valueMap: Record<string, string | null>; dropNotNull: boolean }
  | { kind: "truncateText"; table: TableName; column: string; maxLength: number }
  | { kind: "changeOnDelete"; table: TableName; foreignKey: ForeignKey }
  | { kind: "setDefault"; table: TableName; columns: Array<{ column: string; expression: string | undefined }>; sequence?: { name: TableName; maxValue: string } }
  | { kind: "dropDefault"; table: TableName; columns: string[] }
  | { kind: "setNotNull"; table: TableName; column: string; fillDefault: string[] }
  | { kind: "dropNotNull"; table: TableName; column: string }
  | { kind: "checkConstraint" }
  | { kind: "addUnique" | "addCompositeUnique"; table: TableName; name: string; columns: string[] }
  | { kind: "dropUnique" | "dropCompositeUnique"; table: TableName; name: string }
  | { kind: "addIndex" | "addCompositeIndex"; table: TableName; name: string; columns: string[] }
  | { kind: "dropIndex" | "dropCompositeIndex"; schema: string; name: string }
  | { kind: "dropColumn"; table: TableName; columns: string[]; staleColumns: string[] }
  | { kind: "dropTable"; table: TableName; joinTables: TableName[] }
  | { kind: "dropJoinTable"; table: TableName };

export type StepKind = StepSpec["kind"];
