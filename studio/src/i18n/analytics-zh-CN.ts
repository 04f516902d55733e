import type { analyticsEn } from "./analytics-en.ts";

/** 保存的视图、批量编辑、412 对比、富文本编辑器与仪表盘的文案（并入 `zh-CN.ts`）。 */
export const analyticsZhCN: typeof analyticsEn = {
  views: {
    pick: "已保存的视图", all: "全部记录", mine: "我的视图", shared: "共享视图", save: "保存视图", saveAs: "另存为…", rename: "重命名…", delete: "删除视图",
    name: "视图名称", shareWithEveryone: "共享给所有人", extraFilters: "另有筛选：{filters}",
  },
  bulk: {
    editSelected: "编辑所选（{count}）", title: "编辑 {count} 条记录", fields: "要设置的字段", apply: "应用到 {count} 条记录", done: "已更新 {count} 条记录。",
    nothing: "您不能批量修改这些记录的任何字段。", stale: "部分记录在列表加载后已被修改。请重新加载列表后再试。",
  },
  compare: {
    action: "对比", title: "您的修改与当前版本", field: "字段", yours: "您的值", theirs: "当前值", keepMine: "保留我的", takeTheirs: "采用当前值",
    resave: "按所选保存", same: "无冲突", empty: "（空）",
  },
  rich: { bold: "加粗", italic: "斜体", strike: "删除线", heading: "标题", bulletList: "项目符号列表", orderedList: "编号列表", quote: "引用", code: "代码块", undo: "撤销", redo: "重做", toolbar: "格式", loading: "正在加载编辑器…" },
  dashboard: {
    title: "仪表盘", link: "仪表盘", pipeline: "各阶段销售管道（金额合计）", wonByMonth: "每月赢单收入", leadsBySource: "各来源线索", casesByStatus: "各状态工单",
    custom: "自定义图表", entity: "对象", groupBy: "分组字段", bucket: "日期粒度", metric: "指标", count: "数量", sum: "{field}合计", avg: "{field}平均值", min: "{field}最小值", max: "{field}最大值",
    chartType: "图表", bar: "柱状图", line: "折线图", pie: "饼图", empty: "没有您可查看的数据。", unavailable: "您无权读取{entity}。", none: "（无）", show: "显示", table: "数值",
    buckets: { day: "日", week: "周", month: "月", quarter: "季度", year: "年" },
  },
};
