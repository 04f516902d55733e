import { useI18n } from "vue-i18n";

/** Messages of the workflow screens (under `wf.`), merged into the app's i18n when one loads, so they stay in the workflow chunks. */
const en = {
  title: "Workflows", new: "New workflow", empty: "No workflows yet.", name: "Name", entity: "Entity", versionHead: "Version", state: "State", actions: "Actions",
  enabled: "enabled", disabled: "disabled", enable: "Enable", disable: "Disable", enableNamed: "Enable {name}", disableNamed: "Disable {name}",
  runs: "Run history", runsOf: "Run history of {name}", editTitle: "Workflow {name}", newTitle: "New workflow", version: "version {version}",
  enabledNow: "Enabled: record changes start runs now.", disabledNow: "Disabled: no new runs start; runs in flight finish.",
  fixFirst: "Please correct the highlighted inputs first ({count}).", saved: "Saved as version {version}.", id: "Id", idHint: "kebab-case, e.g. big-deal-alert; it cannot change later.",
  description: "Description", runAs: "Runs act as", runAsSaver: "Whoever saves the version", steps: "Steps", problems: "{count} problem(s)", checked: "No problems found: the definition fits the entities.",
  saveVersion: "Save as version {version}", create: "Create", allProblems: "All problems", add: "Add", addStep: "Add a step", noSteps: "No steps.",
  moveUp: "Move {name} up", moveDown: "Move {name} down", removeStep: "Remove {name}", jsonObject: "A step is a JSON object.",
  people: { owner: "The record's owner", ownerManager: "The owner's manager", roles: "Users with the roles (keys, comma separated)" },
  step: {
    id: "Step id", name: "Step name", if: "If (an expression giving yes or no)", values: "Values", valueOf: "{field} =", removeValue: "Stop setting {field}", addValue: "Set a field…",
    entity: "Record to create", recipients: "Recipients", inApp: "In the app", email: "By email", subject: "Subject (an expression giving text)", body: "Body (an expression, optional)",
    waitMode: "How long to wait", waitFor: "For a time", waitUntil: "Until a date", amount: "Amount", unit: "Unit", until: "Until (an expression giving a date)",
    approvers: "Approvers", message: "Message (an expression, optional)", outcome: "Outcome", success: "success", failure: "failure", stopMessage: "Message", json: "Step as JSON",
  },
  units: { minutes: "minutes", hours: "hours", days: "days", weeks: "weeks" },
  lists: { condition: { then: "Then", else: "Otherwise" }, approval: { then: "When approved", else: "When rejected" } },
  stepTypes: {
    condition: "Condition", branch: "Branch", updateRecord: "Update the record", createRecord: "Create a record", findRecords: "Find records", stop: "Stop", wait: "Wait",
    assignOwner: "Assign an owner", notify: "Notify", approval: "Ask for approval", httpRequest: "HTTP request", runPluginAction: "Run a plugin action",
  },
  stepStatuses: { succeeded: "succeeded", failed: "failed" },
  statuses: { queued: "queued", running: "running", retrying: "retrying", waiting: "waiting", succeeded: "succeeded", failed: "failed", cancelled: "cancelled" },
  triggerTypes: {
    recordCreated: "A record is created", recordUpdated: "A record is updated", recordDeleted: "A record is deleted", fieldChanged: "A field changes",
    schedule: "On a schedule", dateRelative: "Relative to a date", manual: "Started by hand", webhook: "Inbound webhook",
  },
  trigger: {
    title: "Trigger", type: "Starts when", field: "Field", from: "From (optional)", to: "To (optional)", cron: "Cron expression", cronHint: "minute hour day month weekday, e.g. 0 8 * * 1",
    direction: "Before or after", before: "before", after: "after", timeZone: "Time zone (optional)", selection: "Records", one: "one record", many: "several records",
    recordIdFrom: "Record id from (JSON Pointer into the payload)", fields: "Only when these fields change", fieldsHint: "None ticked: any change.", condition: "Condition (optional, an expression giving yes or no)",
    inputs: "Inputs", inputsHint: "Asked for when the run starts (for a webhook: read from the payload); expressions read them as $key.", inputKey: "Key of input {n}",
    inputType: "Type of input {n}", inputLabel: "Label of input {n} (optional)", inputRequired: "required", addInput: "Add an input", removeInput: "Remove input {n}",
    inputTypes: { text: "text", number: "number", boolean: "yes or no", date: "date", datetime: "date and time" },
  },
  run: {
    title: "Runs of {id}", editor: "Edit the workflow", status: "Status", all: "all", refresh: "Refresh", none: "No runs.", started: "Started", record: "Record",
    finished: "Finished", open: "Open the run started {at}", more: "Older runs", detail: "Run: {status}", retry: "Retry from the failed step", cancel: "Cancel the run",
    resumes: "Resumes {at}", step: "Step", attempt: "Attempt", duration: "Duration", io: "Input, output, error", input: "Input", output: "Output",
    noSteps: "No step has run yet.", retried: "Queued again at the failed step.", cancelled: "Cancelled.",
  },
  dry: { title: "Dry run", record: "Record id", run: "Dry run on this record", status: "Would end: {status}", paused: "pauses at {step} ({reason})", effects: "Effects (nothing is kept)", none: "none" },
};

const zhCN: typeof en = {
  title: "工作流", new: "新建工作流", empty: "还没有工作流。", name: "名称", entity: "实体", versionHead: "版本", state: "状态", actions: "操作",
  enabled: "已启用", disabled: "已停用", enable: "启用", disable: "停用", enableNamed: "启用{name}", disableNamed: "停用{name}",
  runs: "运行记录", runsOf: "{name}的运行记录", editTitle: "工作流 {name}", newTitle: "新建工作流", version: "版本 {version}",
  enabledNow: "已启用：记录变更现在会启动运行。", disabledNow: "已停用：不再启动新的运行；进行中的运行会完成。",
  fixFirst: "请先更正标出的输入项（{count}）。", saved: "已保存为版本 {version}。", id: "ID", idHint: "短横线格式，如 big-deal-alert；之后不能修改。",
  description: "描述", runAs: "运行身份", runAsSaver: "保存该版本的人", steps: "步骤", problems: "{count} 个问题", checked: "未发现问题：定义与实体相符。",
  saveVersion: "保存为版本 {version}", create: "创建", allProblems: "全部问题", add: "添加", addStep: "添加步骤", noSteps: "没有步骤。",
  moveUp: "上移{name}", moveDown: "下移{name}", removeStep: "移除{name}", jsonObject: "步骤必须是 JSON 对象。",
  people: { owner: "记录所有者", ownerManager: "所有者的上级", roles: "具有这些角色的用户（键，逗号分隔）" },
  step: {
    id: "步骤 ID", name: "步骤名称", if: "如果（结果为是或否的表达式）", values: "字段值", valueOf: "{field} =", removeValue: "不再设置{field}", addValue: "设置字段…",
    entity: "要创建的记录", recipients: "接收人", inApp: "应用内", email: "邮件", subject: "主题（结果为文本的表达式）", body: "正文（表达式，可选）",
    waitMode: "等待方式", waitFor: "等待一段时间", waitUntil: "等到某个日期", amount: "数量", unit: "单位", until: "直到（结果为日期的表达式）",
    approvers: "审批人", message: "消息（表达式，可选）", outcome: "结果", success: "成功", failure: "失败", stopMessage: "消息", json: "步骤 JSON",
  },
  units: { minutes: "分钟", hours: "小时", days: "天", weeks: "周" },
  lists: { condition: { then: "则", else: "否则" }, approval: { then: "批准后", else: "拒绝后" } },
  stepTypes: {
    condition: "条件", branch: "分支", updateRecord: "更新记录", createRecord: "创建记录", findRecords: "查找记录", stop: "停止", wait: "等待",
    assignOwner: "分配所有者", notify: "通知", approval: "请求审批", httpRequest: "HTTP 请求", runPluginAction: "运行插件操作",
  },
  stepStatuses: { succeeded: "成功", failed: "失败" },
  statuses: { queued: "排队中", running: "运行中", retrying: "重试中", waiting: "等待中", succeeded: "成功", failed: "失败", cancelled: "已取消" },
  triggerTypes: {
    recordCreated: "创建记录时", recordUpdated: "更新记录时", recordDeleted: "删除记录时", fieldChanged: "字段变化时",
    schedule: "按计划", dateRelative: "相对某个日期", manual: "手动启动", webhook: "入站 Webhook",
  },
  trigger: {
    title: "触发器", type: "启动条件", field: "字段", from: "从（可选）", to: "到（可选）", cron: "Cron 表达式", cronHint: "分 时 日 月 星期，如 0 8 * * 1",
    direction: "之前或之后", before: "之前", after: "之后", timeZone: "时区（可选）", selection: "记录", one: "一条记录", many: "多条记录",
    recordIdFrom: "记录 ID 来源（载荷中的 JSON Pointer）", fields: "仅当这些字段变化时", fieldsHint: "都不勾选：任何变化。", condition: "条件（可选，结果为是或否的表达式）",
    inputs: "输入", inputsHint: "启动运行时询问（Webhook 则从载荷读取）；表达式中以 $key 读取。", inputKey: "输入 {n} 的键",
    inputType: "输入 {n} 的类型", inputLabel: "输入 {n} 的标签（可选）", inputRequired: "必填", addInput: "添加输入", removeInput: "移除输入 {n}",
    inputTypes: { text: "文本", number: "数字", boolean: "是或否", date: "日期", datetime: "日期和时间" },
  },
  run: {
    title: "{id} 的运行", editor: "编辑工作流", status: "状态", all: "全部", refresh: "刷新", none: "没有运行。", started: "开始", record: "记录",
    finished: "结束", open: "打开 {at} 开始的运行", more: "更早的运行", detail: "运行：{status}", retry: "从失败的步骤重试", cancel: "取消运行",
    resumes: "{at} 恢复", step: "步骤", attempt: "尝试", duration: "耗时", io: "输入、输出、错误", input: "输入", output: "输出",
    noSteps: "尚无步骤运行。", retried: "已从失败的步骤重新排队。", cancelled: "已取消。",
  },
  dry: { title: "试运行", record: "记录 ID", run: "在此记录上试运行", status: "结果：{status}", paused: "在 {step} 暂停（{reason}）", effects: "效果（不会保留）", none: "无" },
};

export const WORKFLOW_MESSAGES = { en, "zh-CN": zhCN } as const;

/** `useI18n()` with the workflow messages (under `wf.`) merged into the app's, once per i18n instance. */
export function useWorkflowI18n() {
  const i18n = useI18n({ useScope: "global" });
  for (const [locale, messages] of Object.entries(WORKFLOW_MESSAGES)) {
    if (!i18n.te("wf.title", locale)) i18n.mergeLocaleMessage(locale, { wf: messages });
  }
  return i18n;
}
