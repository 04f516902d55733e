/** Messages of saved views, bulk edit, the 412 compare, the rich-text editor and dashboards (spread into `en.ts`). */
export const analyticsEn = {
  views: {
    pick: "Saved view", all: "All records", mine: "My views", shared: "Shared views", save: "Save view", saveAs: "Save as…", rename: "Rename…", delete: "Delete view",
    name: "View name", shareWithEveryone: "Share with everyone", extraFilters: "Also filtered by: {filters}",
  },
  bulk: {
    editSelected: "Edit selected ({count})", title: "Edit {count} record(s)", fields: "Fields to set", apply: "Set on {count} record(s)", done: "Updated {count} record(s).",
    nothing: "You may not change any field of these records together.", stale: "Some of these records changed since the list was loaded. Reload the list and try again.",
  },
  compare: {
    action: "Compare", title: "Your changes and the current version", field: "Field", yours: "Your value", theirs: "Current value", keepMine: "Keep mine",
    takeTheirs: "Take theirs", resave: "Save my choices", same: "no conflict", empty: "(empty)",
  },
  rich: { bold: "Bold", italic: "Italic", strike: "Strikethrough", heading: "Heading", bulletList: "Bulleted list", orderedList: "Numbered list", quote: "Quote", code: "Code block", undo: "Undo", redo: "Redo", toolbar: "Formatting", loading: "Loading the editor…" },
  dashboard: {
    title: "Dashboards", link: "Dashboards", pipeline: "Sales pipeline by stage (sum of amount)", wonByMonth: "Won revenue by month", leadsBySource: "Leads by source", casesByStatus: "Cases by status",
    custom: "Custom chart", entity: "Entity", groupBy: "Group by", bucket: "Date bucket", metric: "Metric", count: "Count", sum: "Sum of {field}", avg: "Average of {field}", min: "Minimum of {field}", max: "Maximum of {field}",
    chartType: "Chart", bar: "Bars", line: "Line", pie: "Pie", empty: "No data you may see.", unavailable: "You may not read {entity}.", none: "(none)", show: "Show", table: "Values",
    buckets: { day: "day", week: "week", month: "month", quarter: "quarter", year: "year" },
  },
};
