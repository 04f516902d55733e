import { useI18n } from "vue-i18n";

/** Messages of the admin screens, merged into the app's i18n when an admin screen first loads (so they stay in the admin chunk). */
const en = {
  nav: { entities: "Entities", access: "Access", plugins: "Plugins", workflows: "Workflows" },
  entities: { title: "Entities", new: "New entity", open: "Design {name}", empty: "No entities yet." },
  designer: {
    titleNew: "New entity", title: "Design {name}", version: "version {version}", tabs: { fields: "Fields", layout: "Layout", trash: "Deleted fields" },
    entity: "Entity", key: "Key", labelEn: "Name (English)", labelZh: "Name (Chinese)", pluralEn: "Plural (English)", pluralZh: "Plural (Chinese)", displayField: "Title field",
    fields: "Fields", addField: "Add field", type: "Type", moveUp: "Move {name} up", moveDown: "Move {name} down", edit: "Edit {name}", remove: "Delete {name}",
    removed: "{name} will be deleted when you apply; its data stays in the trash until purged.", untitled: "(untitled field)", issues: "{count} problem(s)",
    preview: "Preview changes", previewing: "Measuring the change on live data…", fixErrors: "Please correct the highlighted inputs ({count}).",
    noChanges: "Nothing to apply: the draft equals the stored definition.", applied: "Applied: {key} is now at version {version}.",
    stale: "Someone changed this entity since you opened it (you edited version {base}). Reload to get the current definition; your unsaved changes will be lost.",
    restore: "Restore {name}", restored: "{name} is back with its data.", trashEmpty: "No deleted fields.", deletedOn: "deleted {at}",
    typeNames: {
      text: "Text", longText: "Long text", richText: "Rich text", email: "Email", phone: "Phone", url: "URL", integer: "Integer", decimal: "Decimal",
      percent: "Percent", currency: "Currency", boolean: "Yes / no", date: "Date", datetime: "Date and time", select: "Select", multiSelect: "Multi-select",
      relation: "Relation", autoNumber: "Auto number", json: "JSON",
    },
  },
  field: {
    heading: "Field {name}", key: "Key", type: "Type", labelEn: "Label (English)", labelZh: "Label (Chinese)", helpEn: "Help (English)", helpZh: "Help (Chinese)",
    required: "Required", unique: "Unique", indexed: "Indexed", default: "Default", minLength: "Minimum length", maxLength: "Maximum length", pattern: "Pattern (regular expression)",
    min: "Minimum", max: "Maximum", precision: "Precision (digits)", scale: "Scale (digits after the point)", defaultCurrency: "Default currency", currencies: "Allowed currencies",
    currenciesHint: "ISO 4217 codes, e.g. USD, EUR, CNY; none means any.", options: "Options", addOption: "Add option", optionKey: "Key", optionEn: "English", optionZh: "Chinese",
    optionColor: "Colour of {name}", removeOption: "Remove option {name}", moveOptionUp: "Move option {name} up", relation: "Relation", target: "Target entity",
    relations: { manyToOne: "Many to one (a lookup)", oneToMany: "One to many (related list)", manyToMany: "Many to many" },
    onDelete: "When the target is deleted", onDeleteKinds: { restrict: "refuse", setNull: "clear this field", cascade: "delete this record too" },
    inverse: "Field on the target pointing back", prefix: "Prefix", digits: "Digits", minItems: "Fewest choices", maxItems: "Most choices", noDefault: "(none)", close: "Done",
  },
  layout: {
    form: "Form sections", addSection: "Add section", section: "Section {n}", sectionEn: "Heading (English)", sectionZh: "Heading (Chinese)", columns: "Columns",
    collapsed: "Starts collapsed", moveSectionUp: "Move section {n} up", moveSectionDown: "Move section {n} down", removeSection: "Remove section {n}",
    fieldsIn: "Fields of section {n}", moveTo: "Move {name} to section", unplaced: "Not in any section (shown last)", place: "Add {name} to section",
    list: "List columns", addColumn: "Add column", column: "Column", width: "Width of {name} (px)", removeColumn: "Remove column {name}",
    moveColumnUp: "Move column {name} up", moveColumnDown: "Move column {name} down", sort: "Default sort", sortHint: "Field keys in the list API's syntax, - for descending, e.g. -createdAt,name",
    kanban: "Kanban", kanbanField: "Board columns by (a select field)", calendar: "Calendar", startField: "Start (date field)", endField: "End (date field)",
    none: "(none)", moveUp: "Move {name} up", moveDown: "Move {name} down", noSections: "No sections: the form shows every field in order. Add a section to arrange it.",
  },
  access: {
    tabs: { users: "Users", teams: "Teams", departments: "Departments", roles: "Roles", explain: "Explain access" },
    name: "Name", email: "Email", active: "Active", inactive: "deactivated", roles: "Roles", department: "Department", manager: "Manager", teams: "Teams", password: "Password",
    passwordHint: "Leave empty to generate one.", generated: "Password for {email}: {password} (shown once).", newUser: "New user", editUser: "Edit {name}", save: "Save",
    create: "Create", saved: "Saved.", none: "(none)", members: "Members", newTeam: "New team", teamName: "Team name", editTeam: "Members of {name}",
    newDepartment: "New department", parent: "Parent", departmentName: "Department name", rename: "Rename {name}", renamed: "Renamed.",
    newRole: "New role", roleKey: "Key", roleName: "Role name", adminRole: "administrator: may do everything", matrix: "Permissions of {name}", entity: "Entity",
    actions: { read: "Read", update: "Update", delete: "Delete", create: "Create", import: "Import", export: "Export", transfer: "Transfer", claim: "Claim" },
    scopes: { none: "none", own: "own", team: "team", department: "department", subtree: "department and below", all: "all" },
    scopeOf: "{action} scope on {entity}", flagOf: "{action} on {entity}", fieldsOf: "Field permissions on {entity}", fieldRule: "Access to {field}",
    fieldAccess: { inherit: "follows the entity", none: "hidden", read: "read only", write: "read and write" },
    explainUser: "User", explainEntity: "Entity", explainRecord: "Record id (optional)", explain: "Explain", allowed: "allowed", denied: "denied",
    decidedBy: "Rule", reaches: "Reaches this record", owner: "Record owner: {owner}", field: "Field", access: "Access", role: "Role", action: "Action",
  },
  plugins: {
    title: "Plugins", id: "Plugin", version: "Version", status: "Status", enabled: "enabled", disabled: "disabled: {reason}", enable: "Enable {id}", disable: "Disable {id}",
    open: "Open {id}", install: "Install or upgrade", manifestFile: "Manifest (plugin.json)", codeFile: "Built plugin (JavaScript bundle)", installButton: "Install",
    installed: "Installed {id} {version}.", empty: "No plugins installed.", settings: "Settings of {id}", noSettings: "This plugin has no settings.", saveSettings: "Save settings",
    settingsSaved: "Settings saved.", invocations: "Recent invocations", at: "When", kind: "Kind", name: "Name", outcome: "Outcome", duration: "Duration (ms)", cpu: "CPU (ms)",
    usage: "Budget use", error: "Error", noInvocations: "No invocations yet.", fixSettings: "Please correct the settings ({count}).", readFailed: "Could not read {file}: {message}",
    pickFiles: "Choose the manifest and the bundle first.",
  },
  preview: {
    title: "Migration preview", intro: "Applying does these steps in one transaction, in this order:", none: "No migration steps: only the definition changes.",
    classes: { additive: "additive", lossless: "lossless", lossy: "lossy" }, sql: "SQL", showSql: "Show SQL of step {n}", hideSql: "Hide SQL of step {n}",
    confirm: "I understand: this step loses data", confirmNeeded: "Tick each lossy step to apply ({count} left).", blocked: "The data blocks a step: change it or the data first.",
    apply: "Apply", applying: "Applying the migration… do not close this page.", stepN: "Step {n}",
  },
};

const zhCN: typeof en = {
  nav: { entities: "实体", access: "权限", plugins: "插件", workflows: "工作流" },
  entities: { title: "实体", new: "新建实体", open: "设计{name}", empty: "还没有实体。" },
  designer: {
    titleNew: "新建实体", title: "设计{name}", version: "版本 {version}", tabs: { fields: "字段", layout: "布局", trash: "已删除字段" },
    entity: "实体", key: "键", labelEn: "名称（英文）", labelZh: "名称（中文）", pluralEn: "复数（英文）", pluralZh: "复数（中文）", displayField: "标题字段",
    fields: "字段", addField: "添加字段", type: "类型", moveUp: "上移{name}", moveDown: "下移{name}", edit: "编辑{name}", remove: "删除{name}",
    removed: "应用后将删除{name}；其数据保留在回收站中，直到彻底清除。", untitled: "（未命名字段）", issues: "{count} 个问题",
    preview: "预览变更", previewing: "正在用现有数据评估变更…", fixErrors: "请更正标出的输入项（{count}）。",
    noChanges: "没有需要应用的变更：草稿与已保存的定义相同。", applied: "已应用：{key} 现在是版本 {version}。",
    stale: "自你打开后，有人修改了此实体（你编辑的是版本 {base}）。请重新加载以获取当前定义；未保存的修改将丢失。",
    restore: "恢复{name}", restored: "{name}已连同数据恢复。", trashEmpty: "没有已删除的字段。", deletedOn: "删除于 {at}",
    typeNames: {
      text: "文本", longText: "长文本", richText: "富文本", email: "邮箱", phone: "电话", url: "网址", integer: "整数", decimal: "小数",
      percent: "百分比", currency: "金额", boolean: "是 / 否", date: "日期", datetime: "日期时间", select: "单选", multiSelect: "多选",
      relation: "关联", autoNumber: "自动编号", json: "JSON",
    },
  },
  field: {
    heading: "字段 {name}", key: "键", type: "类型", labelEn: "标签（英文）", labelZh: "标签（中文）", helpEn: "提示（英文）", helpZh: "提示（中文）",
    required: "必填", unique: "唯一", indexed: "索引", default: "默认值", minLength: "最小长度", maxLength: "最大长度", pattern: "格式（正则表达式）",
    min: "最小值", max: "最大值", precision: "精度（位数）", scale: "小数位数", defaultCurrency: "默认币种", currencies: "允许的币种",
    currenciesHint: "ISO 4217 代码，如 USD、EUR、CNY；留空表示任意。", options: "选项", addOption: "添加选项", optionKey: "键", optionEn: "英文", optionZh: "中文",
    optionColor: "{name}的颜色", removeOption: "移除选项{name}", moveOptionUp: "上移选项{name}", relation: "关系", target: "目标实体",
    relations: { manyToOne: "多对一（查找）", oneToMany: "一对多（相关列表）", manyToMany: "多对多" },
    onDelete: "目标被删除时", onDeleteKinds: { restrict: "拒绝删除", setNull: "清空此字段", cascade: "同时删除此记录" },
    inverse: "目标上指回的字段", prefix: "前缀", digits: "位数", minItems: "最少选择", maxItems: "最多选择", noDefault: "（无）", close: "完成",
  },
  layout: {
    form: "表单分区", addSection: "添加分区", section: "分区 {n}", sectionEn: "标题（英文）", sectionZh: "标题（中文）", columns: "列数",
    collapsed: "默认折叠", moveSectionUp: "上移分区 {n}", moveSectionDown: "下移分区 {n}", removeSection: "移除分区 {n}",
    fieldsIn: "分区 {n} 的字段", moveTo: "将{name}移到分区", unplaced: "未放入任何分区（显示在最后）", place: "将{name}加入分区",
    list: "列表列", addColumn: "添加列", column: "列", width: "{name}的宽度（像素）", removeColumn: "移除列{name}",
    moveColumnUp: "上移列{name}", moveColumnDown: "下移列{name}", sort: "默认排序", sortHint: "按列表 API 语法填写字段键，- 表示降序，如 -createdAt,name",
    kanban: "看板", kanbanField: "看板列依据（单选字段）", calendar: "日历", startField: "开始（日期字段）", endField: "结束（日期字段）",
    none: "（无）", moveUp: "上移{name}", moveDown: "下移{name}", noSections: "没有分区：表单按顺序显示所有字段。添加分区来安排表单。",
  },
  access: {
    tabs: { users: "用户", teams: "团队", departments: "部门", roles: "角色", explain: "权限说明" },
    name: "姓名", email: "邮箱", active: "启用", inactive: "已停用", roles: "角色", department: "部门", manager: "上级", teams: "团队", password: "密码",
    passwordHint: "留空则自动生成。", generated: "{email} 的密码：{password}（仅显示一次）。", newUser: "新建用户", editUser: "编辑{name}", save: "保存",
    create: "创建", saved: "已保存。", none: "（无）", members: "成员", newTeam: "新建团队", teamName: "团队名称", editTeam: "{name}的成员",
    newDepartment: "新建部门", parent: "上级部门", departmentName: "部门名称", rename: "重命名{name}", renamed: "已重命名。",
    newRole: "新建角色", roleKey: "键", roleName: "角色名称", adminRole: "管理员：可执行所有操作", matrix: "{name}的权限", entity: "实体",
    actions: { read: "查看", update: "修改", delete: "删除", create: "新建", import: "导入", export: "导出", transfer: "转移", claim: "领取" },
    scopes: { none: "无", own: "本人", team: "团队", department: "部门", subtree: "部门及下级", all: "全部" },
    scopeOf: "{entity}的{action}范围", flagOf: "{entity}的{action}", fieldsOf: "{entity}的字段权限", fieldRule: "{field}的访问权限",
    fieldAccess: { inherit: "跟随实体", none: "隐藏", read: "只读", write: "读写" },
    explainUser: "用户", explainEntity: "实体", explainRecord: "记录 ID（可选）", explain: "说明", allowed: "允许", denied: "拒绝",
    decidedBy: "规则", reaches: "可触及此记录", owner: "记录所有者：{owner}", field: "字段", access: "权限", role: "角色", action: "操作",
  },
  plugins: {
    title: "插件", id: "插件", version: "版本", status: "状态", enabled: "已启用", disabled: "已停用：{reason}", enable: "启用 {id}", disable: "停用 {id}",
    open: "打开 {id}", install: "安装或升级", manifestFile: "清单（plugin.json）", codeFile: "构建后的插件（JavaScript 包）", installButton: "安装",
    installed: "已安装 {id} {version}。", empty: "尚未安装插件。", settings: "{id} 的设置", noSettings: "此插件没有设置。", saveSettings: "保存设置",
    settingsSaved: "设置已保存。", invocations: "最近调用", at: "时间", kind: "类型", name: "名称", outcome: "结果", duration: "耗时（毫秒）", cpu: "CPU（毫秒）",
    usage: "预算使用", error: "错误", noInvocations: "暂无调用。", fixSettings: "请更正设置（{count}）。", readFailed: "无法读取 {file}：{message}",
    pickFiles: "请先选择清单和插件包。",
  },
  preview: {
    title: "迁移预览", intro: "应用时将在一个事务中按顺序执行以下步骤：", none: "没有迁移步骤：只更改定义。",
    classes: { additive: "新增", lossless: "无损", lossy: "有损" }, sql: "SQL", showSql: "显示步骤 {n} 的 SQL", hideSql: "隐藏步骤 {n} 的 SQL",
    confirm: "我了解：此步骤会丢失数据", confirmNeeded: "请逐一勾选有损步骤后再应用（还剩 {count} 个）。", blocked: "现有数据阻止了某个步骤：请先修改变更或数据。",
    apply: "应用", applying: "正在执行迁移…请勿关闭此页面。", stepN: "步骤 {n}",
  },
};

export const ADMIN_MESSAGES = { en, "zh-CN": zhCN } as const;
export type AdminMessages = typeof en;

/** `useI18n()` with the admin messages (under `adm.`) merged into the app's, once per i18n instance. */
export function useAdminI18n() {
  const i18n = useI18n({ useScope: "global" });
  for (const [locale, messages] of Object.entries(ADMIN_MESSAGES)) {
    if (!i18n.te("adm.nav.entities", locale)) i18n.mergeLocaleMessage(locale, { adm: messages });
  }
  return i18n;
}
