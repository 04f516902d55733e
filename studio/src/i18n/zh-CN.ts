import type { Messages } from "./en.ts";
import { analyticsZhCN } from "./analytics-zh-CN.ts";

const zhCN: Messages = {
  ...analyticsZhCN,
  app: { name: "CRM", language: "语言", signOut: "退出登录", skip: "跳到主要内容", nav: "对象", admin: "系统管理", menu: "菜单" },
  login: { title: "登录", email: "邮箱", password: "密码", submit: "登录", failed: "邮箱或密码错误。", throttled: "尝试次数过多：请稍后再试。" },
  common: { save: "保存", cancel: "取消", delete: "删除", reload: "重新加载", back: "返回", loading: "加载中…", yes: "是", no: "否", none: "—", apply: "应用", clear: "清除", add: "添加", remove: "移除", error: "出错了：{message}" },
  list: {
    search: "搜索", searchPlaceholder: "搜索{entity}", new: "新建", export: "导出 CSV", deleteSelected: "删除所选（{count}）",
    confirmDelete: "删除 {count} 条记录？此操作无法撤销。", deleted: "已删除 {count} 条记录。", loadMore: "加载更多",
    shown: "{shown} / {total}", shownNoTotal: "已显示 {shown} 条", empty: "暂无记录", columns: "列", sort: "排序", addSort: "添加排序…",
    ascending: "升序", descending: "降序", toggleDirection: "按{field}{direction}排序；切换方向", removeSort: "移除按{field}排序",
    select: "选择记录 {title}", open: "打开 {title}", you: "我", board: "看板", table: "表格", calendar: "日历",
  },
  filter: {
    title: "筛选", add: "添加条件", field: "字段", operator: "运算符", value: "值", match: "匹配", all: "全部条件", any: "任一条件",
    apply: "应用筛选", count: "筛选（{count}）", remove: "移除条件 {n}", isEmpty: "为空", isNotEmpty: "不为空",
    ops: { eq: "等于", ne: "不等于", gt: "大于", gte: "大于等于", lt: "小于", lte: "小于等于", in: "属于", nin: "不属于", contains: "包含", startsWith: "开头是", isNull: "是否为空" },
  },
  record: {
    new: "新建{entity}", edit: "编辑", details: "详情", history: "历史", saved: "已保存。", created: "已创建。", transferred: "现由 {name} 负责。",
    notFound: "该记录不存在，或您无权查看。", fixErrors: "请修正标出的字段。",
    conflict: "在您打开后，其他人修改了这条记录。重新加载以查看其版本（未保存的修改将丢失）。",
    confirmDelete: "删除这条记录？此操作无法撤销。", deleted: "已删除。", readOnly: "只读",
    system: { createdAt: "创建时间", updatedAt: "更新时间", version: "版本", ownerId: "负责人" }, other: "其他字段",
  },
  field: { choose: "请选择…", searchRecords: "输入以搜索", currency: "币种", amount: "金额", invalidJson: "不是有效的 JSON", loadMore: "更多结果…", date: "选择日期", datetime: "选择日期和时间" },
  history: { create: "创建", update: "修改", delete: "删除", by: "操作人：{name}", system: "系统", empty: "暂无历史记录。", older: "更早的记录", from: "从", to: "改为" },
  board: {
    hint: "把卡片拖到另一列即可修改其{field}，也可使用卡片上的菜单。", readOnly: "您无权修改该字段：看板为只读。",
    moved: "{title} 已移至 {column}。", conflict: "{title} 已被他人修改：看板已显示其最新状态。",
    moveTo: "将 {title} 移至", count: "{count} 条记录", none: "该对象没有看板。",
  },
  calendar: { previous: "上个月", next: "下个月", today: "今天", more: "仅显示本月前 {count} 条记录。", none: "该对象没有日历。" },
  admin: { title: "系统管理", entities: "对象", key: "键", version: "版本", fields: "字段", forbidden: "仅限管理员。", comingSoon: "对象、布局、权限、工作流和插件设计器正在开发中。" },
  notFound: { title: "页面不存在", home: "返回首页" },
  home: { welcome: "欢迎，{name}", pick: "选择要处理的内容：", nothing: "您的角色尚不能读取任何记录，请联系管理员。" },
  inbox: {
    bell: "通知，{count} 条未读", notifications: "通知", empty: "没有通知。", markRead: "标为已读", markReadOf: "将“{subject}”标为已读",
    markAllRead: "全部标为已读", more: "更早的通知", openRecord: "打开记录", close: "关闭",
    approvals: "审批", approvalsCount: "审批（{count}）", approvalsTitle: "等待您的决定", noApprovals: "没有等待您决定的审批。",
    approve: "批准", reject: "拒绝", comment: "意见（可选）", approved: "已批准。", rejected: "已拒绝。", due: "请在 {at} 前决定", asked: "提交于 {at}",
    onRecord: "审批", noneOnRecord: "此记录没有审批请求。", decidedBy: "{status} {at}", yours: "需要您决定",
    statuses: { pending: "待审批", approved: "已批准", rejected: "已拒绝", cancelled: "已取消" },
    actions: "操作", actionDone: "{label}：已完成。",
  },
  workflowRuns: {
    tab: "工作流", manual: "运行工作流", inputsOf: "{name} 的输入", start: "开始", started: "{name} 已开始。", startedMany: "{name} 已在 {count} 条记录上开始。", none: "此记录还没有运行过工作流。",
    resumes: "{at} 继续", attempt: "第 {n} 次尝试",
    statuses: { queued: "排队中", running: "运行中", waiting: "等待中", retrying: "重试中", succeeded: "成功", failed: "失败", cancelled: "已取消" },
  },
};

export default zhCN;
