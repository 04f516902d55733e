import { analyticsEn } from "./analytics-en.ts";

/** English messages; `zh-CN.ts` has the same keys (its type is this one's). */
const en = {
  ...analyticsEn,
  app: { name: "CRM", language: "Language", signOut: "Sign out", skip: "Skip to content", nav: "Entities", admin: "Administration", menu: "Menu" },
  login: { title: "Sign in", email: "Email", password: "Password", submit: "Sign in", failed: "Email or password is wrong.", throttled: "Too many attempts: wait a little and try again." },
  common: { save: "Save", cancel: "Cancel", delete: "Delete", reload: "Reload", back: "Back", loading: "Loading…", yes: "Yes", no: "No", none: "—", apply: "Apply", clear: "Clear", add: "Add", remove: "Remove", error: "Something went wrong: {message}" },
  list: {
    search: "Search", searchPlaceholder: "Search {entity}", new: "New", export: "Export CSV", deleteSelected: "Delete selected ({count})",
    confirmDelete: "Delete {count} record(s)? This cannot be undone.", deleted: "Deleted {count} record(s).", loadMore: "Load more",
    shown: "{shown} of {total}", shownNoTotal: "{shown} shown", empty: "No records", columns: "Columns", sort: "Sort", addSort: "Add sort…",
    ascending: "ascending", descending: "descending", toggleDirection: "Sort {field} {direction}; change direction", removeSort: "Remove sort by {field}",
    select: "Select record {title}", open: "Open {title}", you: "You", board: "Board", table: "Table", calendar: "Calendar",
  },
  filter: {
    title: "Filters", add: "Add condition", field: "Field", operator: "Operator", value: "Value", match: "Match", all: "all conditions", any: "any condition",
    apply: "Apply filters", count: "Filters ({count})", remove: "Remove condition {n}", isEmpty: "is empty", isNotEmpty: "is not empty",
    ops: { eq: "equals", ne: "not equal", gt: "greater than", gte: "at least", lt: "less than", lte: "at most", in: "is any of", nin: "is none of", contains: "contains", startsWith: "starts with", isNull: "emptiness" },
  },
  record: {
    new: "New {entity}", edit: "Edit", details: "Details", history: "History", saved: "Saved.", created: "Created.", transferred: "Now owned by {name}.",
    notFound: "This record does not exist, or you may not see it.", fixErrors: "Please correct the highlighted fields.",
    conflict: "Someone else changed this record since you opened it. Reload to see their version (your unsaved changes will be lost).",
    confirmDelete: "Delete this record? This cannot be undone.", deleted: "Deleted.", readOnly: "read only",
    system: { createdAt: "Created", updatedAt: "Updated", version: "Version", ownerId: "Owner" }, other: "Other fields",
  },
  field: { choose: "Choose…", searchRecords: "Type to search", currency: "Currency", amount: "Amount", invalidJson: "Not valid JSON", loadMore: "More results…", date: "Pick a date", datetime: "Pick a date and time" },
  history: { create: "created", update: "updated", delete: "deleted", by: "by {name}", system: "the system", empty: "No history yet.", older: "Older entries", from: "from", to: "to" },
  board: {
    hint: "Drag a card to another column to change its {field}, or use its menu.", readOnly: "You may not change this field: the board is read only.",
    moved: "{title} moved to {column}.", conflict: "{title} was changed by someone else meanwhile: the board shows it as it is now.",
    moveTo: "Move {title} to", count: "{count} records", none: "This entity has no board.",
  },
  calendar: { previous: "Previous month", next: "Next month", today: "Today", more: "Only the first {count} records of this month are shown.", none: "This entity has no calendar." },
  admin: { title: "Administration", entities: "Entities", key: "Key", version: "Version", fields: "Fields", forbidden: "Administrators only.", comingSoon: "The entity, layout, access, workflow and plugin designers are being built." },
  notFound: { title: "Page not found", home: "Go to the start page" },
  home: { welcome: "Welcome, {name}", pick: "Choose what to work on:", nothing: "Your roles do not let you read any records yet. Ask an administrator." },
  inbox: {
    bell: "Notifications, {count} unread", notifications: "Notifications", empty: "No notifications.", markRead: "Mark read", markReadOf: "Mark “{subject}” read",
    markAllRead: "Mark all read", more: "Older notifications", openRecord: "Open the record", close: "Close",
    approvals: "Approvals", approvalsCount: "Approvals ({count})", approvalsTitle: "Waiting for your decision", noApprovals: "Nothing waits for your decision.",
    approve: "Approve", reject: "Reject", comment: "Comment (optional)", approved: "Approved.", rejected: "Rejected.", due: "Decide by {at}", asked: "Asked {at}",
    onRecord: "Approvals", noneOnRecord: "No approval requests for this record.", decidedBy: "{status} {at}", yours: "Your decision is needed",
    statuses: { pending: "pending", approved: "approved", rejected: "rejected", cancelled: "cancelled" },
    actions: "Actions", actionDone: "{label}: done.",
  },
  workflowRuns: {
    tab: "Workflows", manual: "Run a workflow", inputsOf: "Inputs of {name}", start: "Start", started: "{name} started.", startedMany: "{name} started on {count} records.", none: "No workflow has run on this record.",
    resumes: "goes on {at}", attempt: "attempt {n}",
    statuses: { queued: "queued", running: "running", waiting: "waiting", retrying: "retrying", succeeded: "succeeded", failed: "failed", cancelled: "cancelled" },
  },
};

export default en;
export type Messages = typeof en;
