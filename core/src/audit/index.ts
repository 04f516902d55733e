export { actorUserId, actorId, SYSTEM_ACTOR, type Actor, type ActorKind } from "./actor.ts";
export { auditedFields, historyKeys, type AuditedField } from "./audited-fields.ts";
export { diffRecords, REDACTED, type FieldChange, type RecordChanges } from "./diff-records.ts";
export { historyInsertSql, createHistorySql, historyChangesSql, HISTORY_ACTIONS, HISTORY_TABLE, type HistoryAction, type HistoryEntry } from "./history-sql.ts";
