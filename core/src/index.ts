export * from "./issues.ts";
export * from "./definition/types.ts";
export * from "./migration/types.ts";
export * from "./definition/validate-definition.ts";
export * from "./definition/validate-definitions.ts";
export * from "./definition/reserved-words.ts";
export * from "./definition/field-traits.ts";
export * from "./record/record-schema.ts";
export * from "./record/field-value-schema.ts";
export * from "./record/compile-record-validator.ts";
export * from "./record/decimal-keyword.ts";
export { quoteIdent, qualifiedName } from "./migration/quote-ident.ts";
export { quoteLiteral } from "./migration/quote-literal.ts";
export { tableRef, joinTableName, joinTableRef, parkedTableName, parkedJoinTableName } from "./migration/table-ref.ts";
export { fieldColumns, columnSqlType, parkedColumnName } from "./migration/field-columns.ts";
export type { FieldColumn, ColumnRole } from "./migration/field-columns.ts";
export { columnDefaults } from "./migration/column-defaults.ts";
export {
  uniqueName,
  indexName,
  compositeUniqueName,
  compositeIndexName,
  foreignKeyName,
  sequenceName,
  primaryKeyName,
  ownerIndexName,
  createdIndexName,
} from "./migration/constraint-names.ts";
export { renderStep } from "./migration/render-step.ts";
export type { StepSpec, StepKind, TableName } from "./migration/step-spec.ts";
export { planMigration } from "./migration/plan-migration.ts";
export { planPurge, parkedColumns } from "./migration/plan-purge.ts";
export { TYPE_CONVERSIONS, TEXT_FORMAT_PATTERNS, findConversion } from "./migration/type-conversions.ts";
export * from "./query/types.ts";
export { recordJson, recordJsonPairs, fieldJson, isoTimestamp } from "./query/record-json.ts";
export { sql, raw, ident, qualified, param, joinSql, toStatement, type Fragment } from "./migration/sql.ts";
export { compileInsert, insertFragment, compileUpdate, compileLinkWrites, compileReadById, compileReadByIds, compileDelete, type OwnerScope } from "./query/compile-write.ts";
export { encodeFieldValue, textArrayLiteral } from "./query/encode-value.ts";
export { parseFilter, FILTER_LIMITS } from "./query/parse-filter.ts";
export { parseListQuery, LIST_PARAMETERS, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from "./query/parse-list-query.ts";
export { parseAggregateQuery, AGGREGATE_PARAMETERS, DEFAULT_AGGREGATE_LIMIT, MAX_AGGREGATE_LIMIT } from "./query/parse-aggregate-query.ts";
export { resolveListQuery } from "./query/resolve-list-query.ts";
export { resolveAggregateQuery } from "./query/resolve-aggregate-query.ts";
export { resolvePath } from "./query/resolve-path.ts";
export { valueKind, KIND_OPERATORS, SORTABLE_KINDS, type ValueKind } from "./query/value-kind.ts";
export { encodeCursor, decodeCursor } from "./query/cursor.ts";
export { compileList } from "./query/compile-list.ts";
export type { CompileOptions } from "./query/query-clauses.ts";
export { compileAggregate } from "./query/compile-aggregate.ts";
export { compileExpand, EXPAND_LIMIT_PER_PARENT } from "./query/compile-expand.ts";
export { attachExpanded, expandIds } from "./query/attach-expanded.ts";
export type { RecordJson, ExpandRow } from "./query/attach-expanded.ts";
export { expandRecords } from "./query/expand-records.ts";
export type { RunStatement } from "./query/expand-records.ts";
export { searchDocument, searchIndexSql, searchIndexName, searchTsQuery } from "./query/search.ts";
export { planSearchIndex } from "./query/plan-search-index.ts";
export * from "./access/types.ts";
export type { UserView } from "./access/user-view.ts";
export { resolveAccess, type EntityAccess } from "./access/resolve-access.ts";
export { scopePredicate, scopeOwners, ownersPredicate, OWNER_COLUMN } from "./access/scope-predicate.ts";
export { explainAccess, type AccessExplanation } from "./access/explain-access.ts";
export { createReadPolicy, selectableFields, readsPool, type ReadPolicy } from "./access/read-policy.ts";
export { checkReadable } from "./access/check-readable.ts";
export { isUuid } from "./uuid.ts";
export * from "./audit/index.ts";
export * from "./plugins/types.ts";
export * from "./plugins/plugin-budgets.ts";
export { validateManifest, type ManifestContext } from "./plugins/validate-manifest.ts";
export { checkCron } from "./plugins/check-cron.ts";
export { validatePluginSettings } from "./plugins/validate-plugin-settings.ts";
export { cronMatches } from "./plugins/cron-matches.ts";
export { latestCronMinute, CRON_CATCH_UP_MS } from "./plugins/latest-cron-minute.ts";
export * from "./expression/index.ts";
export * from "./workflow/index.ts";
export type { SavedView, ViewState } from "./query/saved-view.ts";
