#!/usr/bin/env python3
"""Authoring aid: writes dashboards/assets/ (Superset 6.1 export bundle) from the definitions below.

The committed YAML is what deploys; this script only keeps the four dashboards consistent while they are
edited (fixed UUIDs derived from names, one place for Chinese labels and SQL). Run it with any Python that
has PyYAML, then check the bundle by importing it into a scratch Superset (see docs/dashboards.md).
"""
import json
import pathlib
import re
import shutil
import sys
import uuid

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1] / "assets"
NS = uuid.UUID("6b616f70-696e-6700-8000-000000000000")  # "kaoping" namespace: UUIDs stay the same across runs


def uid(kind, name):
    return str(uuid.uuid5(NS, f"{kind}:{name}"))


DB_UUID = uid("database", "kaoping_serving")


def sql_text(s):
    return "'" + s.replace("'", "''") + "'"


def labels(kind):
    """Code → label of one kind, from the one list every reader's words come from (vocabulary's labels.properties)."""
    listing = pathlib.Path(__file__).resolve().parents[2] / "vocabulary/src/main/resources/org/kaoping/vocabulary/labels.properties"
    out = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        key = key.strip().replace("\\ ", " ")
        if sep and not key.startswith("#") and key.startswith(kind + "."):
            out[key[len(kind) + 1:]] = value.strip()
    return out


def case_of(kind):
    return "CASE {c} " + " ".join(f"WHEN {sql_text(code)} THEN {sql_text(label)}" for code, label in labels(kind).items()) + " ELSE {c} END"


# ---- labels shared by datasets (code → Chinese), as SQL so every dataset shows the same words
GRADE_CN = case_of("grade")
PEER_CN = case_of("peer_group")
LEVEL_CN = "CASE {c} WHEN 'CITY' THEN '市直' WHEN 'COUNTY' THEN '县级' WHEN 'TOWNSHIP' THEN '乡镇' ELSE {c} END"
TYPE_CN = "CASE {c} WHEN 'PARTY' THEN '党群' WHEN 'GOVERNMENT' THEN '政府部门' WHEN 'INSTITUTION' THEN '事业单位' ELSE {c} END"
DECISION_CN = "CASE {c} WHEN 'APPROVED' THEN '同意' WHEN 'RETURNED' THEN '退回' WHEN 'COMMENTED' THEN '批注' ELSE {c} END"
REVIEW_LEVEL_CN = "CASE {c} WHEN 1 THEN '一级' WHEN 2 THEN '二级' ELSE {c} || ' 级' END"
STATUS_CN = ("CASE {c} WHEN 'APPROVED' THEN '已通过' WHEN 'SUBMITTED' THEN '已提交' WHEN 'RETURNED' THEN '已退回'"
             " WHEN 'DRAFT' THEN '草稿' ELSE {c} END")
INDICATOR_CN = case_of("indicator")
COLOUR_CN = case_of("colour")  # the words of the PDF report: 黑色（应启动未启动）, 橙色（已完成）, …
ESCALATION_CN = case_of("escalation")
RECIPIENT_ROLE_CN = case_of("recipient_role")
ITEM_KIND_CN = case_of("item_kind")
CATEGORY_CN = ("CASE {c} WHEN 'BUSINESS' THEN '业务工作' WHEN 'PARTY_BUILDING' THEN '党建工作' WHEN 'SPECIAL_TASK' THEN '专项工作'"
               " WHEN 'WRITING' THEN '文字材料' WHEN 'MEETING_TRAINING' THEN '会议培训' WHEN 'BUSINESS_TRIP' THEN '出差管理'"
               " WHEN 'INSPECTION_RESEARCH' THEN '检查调研' WHEN 'LEAVE' THEN '休假管理' WHEN 'COMMENDATION_DISCIPLINE' THEN '表彰奖惩'"
               " ELSE {c} END")


def rule_descriptions():
    """Rule code → Chinese description, from the staging models' headers (`-- rule: code = 描述`, beside the rule)."""
    staging = pathlib.Path(__file__).resolve().parents[2] / "jobs/src/main/resources/org/kaoping/jobs/staging"
    rules = {}
    for f in sorted(staging.glob("*.sql")):
        for line in f.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^--\s*rule:\s*([a-z_]+\.[a-z0-9_]+)\s*=\s*(.+)$", line.strip())
            if match:
                rules[match.group(1)] = match.group(2).strip()
    return rules


# A rule is shown by its description with its code beside it: 进度倒退（task_progress.progress_backwards）
RULE_CN = ("CASE {c} " + " ".join(f"WHEN {sql_text(code)} THEN {sql_text(desc + '（' + code + '）')}"
                                   for code, desc in rule_descriptions().items()) + " ELSE {c} END")
DISPOSITION_CN = "CASE {c} WHEN 'EXCLUDED' THEN '隔离（不计入指标）' WHEN 'FLAGGED' THEN '标记（计入指标，待核实）' ELSE {c} END"
# A build's refresh scope (jobs' RefreshScope.describe and the reasons WarehouseBuild gives for a full rebuild)
REFRESH_CN = ("CASE WHEN {c} = 'nothing changed since the last build' THEN '无变化（沿用上次构建）'"
              " WHEN {c} LIKE 'incremental: %' THEN regexp_replace({c},"
              " '^incremental: (\\d+) changed month\\(s\\) (\\S+)\\.\\.(\\S+)$', '增量：\\1 个月有变化（\\2 至 \\3）')"
              " WHEN {c} LIKE 'full rebuild (%' THEN '全量重建（' || CASE substring({c} FROM '^full rebuild \\((.*)\\)$')"
              " WHEN 'requested' THEN '按要求' WHEN 'first build' THEN '首次构建'"
              " WHEN 'metric settings or calendar changed' THEN '指标设置或工作日历已变'"
              " WHEN 'the previous build predates incremental refresh' THEN '上次构建早于增量刷新'"
              " WHEN 'the previous build''s record is unreadable' THEN '上次构建记录无法读取'"
              " ELSE regexp_replace(substring({c} FROM '^full rebuild \\((.*)\\)$'),"
              " '^the organisation changed \\((.*)\\)$', '组织机构有变（\\1）') END || '）'"
              " ELSE coalesce({c}, '—') END")
SOURCE_CN = "CASE {c} WHEN 'worklog' THEN '工作日志系统' WHEN 'approval' THEN '审批与督办系统' ELSE {c} END"
SCHEME_CN = case_of("scheme")
# Changes as the PDF report words them (report/Words.java: signed, rankChange): zero without a sign, none as —
# In words, not "+1.25": Superset's Excel export quotes a text starting with + or - ('+1.25) against formulas
SCORE_CHANGE_CN = ("CASE WHEN {c} IS NULL THEN '—' WHEN {c} > 0 THEN '上升 ' || {c}::text || ' 分'"
                   " WHEN {c} < 0 THEN '下降 ' || (-{c})::text || ' 分' ELSE '持平' END")
RANK_CHANGE_CN = ("CASE WHEN {c} IS NULL THEN '—' WHEN {c} > 0 THEN '上升 ' || {c} || ' 位'"
                  " WHEN {c} < 0 THEN '下降 ' || (-{c}) || ' 位' ELSE '持平' END")
# A period not over (or still in its filing grace) is provisional, as the PDF report says of it (暂定数据); a half-year
# reads as the report names it (2025年上半年), the other periods by their labels (2025-Q3, 2025-09, 2025)
PERIOD_CN = ("CASE WHEN {p} LIKE '%-H_' THEN left({p}, 4) || CASE right({p}, 1) WHEN '1' THEN '年上半年' ELSE '年下半年' END"
             " ELSE {p} END || CASE WHEN {c} THEN '' ELSE '（暂定）' END")
# The quarters and whether each is over, for lists of logs and decisions to carry the 考评期 filter's label
QUARTERS = "SELECT DISTINCT period, is_complete FROM kaoping.unit_score_by_period WHERE period_type = 'QUARTER'"
# A ratio as the tables write it where a missing one must not read N/A (Superset's word for null): 95.0 %
PERCENT_TEXT = "CASE WHEN {c} IS NULL THEN {none} ELSE to_char(round(({c} * 100)::numeric, 1), 'FM990.0') || ' %' END"
LOAD_BAND = ("CASE WHEN {c} IS NULL THEN '无数据' WHEN {c} < 0.9 THEN '低于 90 %' WHEN {c} <= 1.0 THEN '90 %–100 %'"
             " ELSE '高于 100 %' END")
# A rank as the PDF report shows it (组内排名 6 / 8): the place and the number of units ranked in the group
RANK_OF_CN = "CASE WHEN {r} IS NULL THEN '—' ELSE {r} || ' / ' || {n} END"
# Rounded as shown, in numeric (which has no negative zero): a shortfall of 0.04 posts is 0.0, not -0.0
POST_SURPLUS_SUM = "ROUND(SUM(post_surplus)::numeric, 1)"
# each warning colour's label drawn in its colour, each card in its own
LABEL_COLOURS = {**{labels("colour")[code]: hex for code, hex in {"BLACK": "#212121", "RED": "#D32F2F", "GREEN": "#388E3C",
                                                                 "BLUE": "#1976D2", "ORANGE": "#F57C00"}.items()},
                 **{labels("escalation")[code]: hex for code, hex in {"BELL": "#FBC02D", "YELLOW_CARD": "#F9A825",
                                                                     "RED_CARD": "#C62828"}.items()},
                 # a unit's workload ratio and the averages it is compared with, the same for every reader (a metric's
                 # series takes its colour by the metric's name, not by the label its legend shows)
                 "workload_ratio": "#1FA8C9", "peer_ratio": "#5AC189", "city_ratio": "#454E7C"}

# ---- datasets
# Column spec: name: (verbose name, type, options); options: dttm, expr (calculated column), desc (overrides the DB comment)
DATASETS = {}


def dataset(key, table, verbose, columns, metrics=(), sql=None, description=None):
    DATASETS[key] = dict(table=table, verbose=verbose, columns=columns, metrics=list(metrics), sql=sql,
                         description=description)


def m(name, verbose, expr, fmt, desc):
    return dict(metric_name=name, verbose_name=verbose, expression=expr, d3format=fmt, description=desc)


# The period filters' order (sorted descending): the latest complete quarter first, so a dashboard opens on it as the
# reports and the feed do; then the complete months, half-years and years, newest first; periods not over (暂定) last
PERIOD_ORDER = m("period_order", "统计期排序",
                 "MAX(CASE WHEN NOT is_complete THEN 'a' WHEN period_type = 'QUARTER' THEN 'e' WHEN period_type = 'MONTH'"
                 " THEN 'd' WHEN period_type = 'HALF' THEN 'c' ELSE 'b' END || period)", None,
                 "统计期筛选的排列：已结束的季度从新到旧在前（默认打开最新的已结束季度，与报告和推送一致），其后为已结束的月、半年、"
                 "年，未结束（暂定）的在最后")

RATIO_METRICS = [
    m("workload_ratio", "工作量比率", "SUM(workload_minutes)::float / NULLIF(SUM(expected_minutes), 0)", ".1%",
      "工作量比率 = Σ计入工作量的日志分钟（不含休假）/ Σ应出勤分钟；合计时分子分母分别相加，从不平均比率。"
      " workload_ratio = workload_minutes / expected_minutes"),
    m("fill_rate", "填报率", "SUM(filed_days)::float / NULLIF(SUM(filing_days), 0)", ".1%",
      "填报率 = 宽限期内按时填报的应填报工作日 / 应填报工作日。fill_rate = filed_days / filing_days"),
    m("review_rate", "审阅率", "SUM(logs_fully_reviewed)::float / NULLIF(SUM(logs_needing_review), 0)", ".1%",
      "审阅率 = 已完成全部审阅层级的日志 / 需审阅的日志。review_rate = logs_fully_reviewed / logs_needing_review"),
    m("review_on_time_rate", "按时审阅率", "SUM(logs_reviewed_on_time)::float / NULLIF(SUM(logs_needing_review), 0)", ".1%",
      "按时审阅率 = 每一级均在规定工作日内审阅的日志 / 需审阅的日志"),
]
# Of the sections' logs (the unit's is on the PDF report): how often a reviewer sent one back. Not on the people's
# table: a principal leader's logs need no review, and a rate of nothing reads N/A there
RETURN_RATE = m("return_rate", "退回率", "SUM(logs_returned)::float / NULLIF(SUM(logs_needing_review), 0)", ".1%",
                "退回率 = 至少被退回一次的日志 / 需审阅的日志（各轮审阅合计）。return_rate = logs_returned / logs_needing_review")

dataset("unit_overview", "unit_overview", "单位指标（按期）", sql=f"""
SELECT m.period, {PERIOD_CN.format(p='m.period', c='m.is_complete')} AS period_label, m.period_type, m.period_start, m.is_complete,
       CASE WHEN m.is_complete THEN '已结束，数据完整'
            ELSE '暂定：本期尚未结束（或仍在填报宽限期内），数字会随新的日志和审阅变化，期末后定稿' END AS period_note,
       m.unit_id, m.unit_name, m.unit_level, {LEVEL_CN.format(c='m.unit_level')} AS unit_level_label,
       m.peer_group, {PEER_CN.format(c='m.peer_group')} AS peer_group_label,
       d.unit_type, {TYPE_CN.format(c='d.unit_type')} AS unit_type_label,
       m.workload_minutes, m.expected_minutes, m.filing_days, m.filed_days,
       m.logs_needing_review, m.logs_fully_reviewed, m.logs_reviewed_on_time,
       m.workload_ratio AS unit_workload_ratio,
       {LOAD_BAND.format(c='m.workload_ratio')} AS load_band,
       s.score, {GRADE_CN.format(c='s.grade')} AS grade_label, s.rank_in_group,
       h.implied_fte, h.actual_staff, h.authorized_headcount, h.post_surplus,
       sum(m.workload_minutes) OVER (PARTITION BY m.period) AS city_workload_minutes,
       sum(m.expected_minutes) OVER (PARTITION BY m.period) AS city_expected_minutes,
       sum(m.workload_minutes) OVER (PARTITION BY m.period, m.peer_group) AS peer_workload_minutes,
       sum(m.expected_minutes) OVER (PARTITION BY m.period, m.peer_group) AS peer_expected_minutes
FROM kaoping.metrics_by_period m
LEFT JOIN kaoping.dim_unit d ON d.unit_id = m.unit_id
LEFT JOIN kaoping.unit_score_by_period s
  ON s.unit_id = m.unit_id AND s.period_type = m.period_type AND s.period = m.period
LEFT JOIN kaoping.headcount_efficiency_by_period h
  ON h.level = 'UNIT' AND h.entity_id = m.unit_id AND h.period_type = m.period_type AND h.period = m.period
WHERE m.level = 'UNIT'
""", description="每个单位每个统计期（月、季、年）一行：工作量、填报、审阅、综合得分和编制效能，以及全市和本单位同类组的合计"
                 "（平均线用；在行级权限筛选之前算出，单位领导因此也看得到本单位所比的平均）。读 kaoping.metrics_by_period、"
                 "kaoping.dim_unit（单位类型）、kaoping.unit_score_by_period、kaoping.headcount_efficiency_by_period。",
        columns={
            "period": ("统计期（不标暂定）", "STRING", {}),
            "period_label": ("统计期", "STRING", {"desc": "统计期；未结束（或仍在填报宽限期内）的标“（暂定）”，如 2025-12（暂定）"}),
            "period_type": ("期类型", "STRING", {}),
            "period_start": ("期初日期", "DATE", {"dttm": True}), "is_complete": ("期已结束", "BOOLEAN", {}),
            "period_note": ("期状态", "STRING", {"desc": "已结束，或暂定（期未结束或仍在填报宽限期内）及其含义"}),
            "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}),
            "unit_level": ("单位层级代码", "STRING", {}), "unit_level_label": ("单位层级", "STRING", {}),
            "peer_group": ("同类组代码", "STRING", {}), "peer_group_label": ("同类组", "STRING", {}),
            "unit_type": ("单位类型代码", "STRING", {"src": ("dim_unit", "unit_type")}),
            "unit_type_label": ("单位类型", "STRING", {"desc": "党群 / 政府部门 / 事业单位（unit_type: PARTY / GOVERNMENT / INSTITUTION）"}),
            "workload_minutes": ("工作量（分钟）", "BIGINT", {}), "expected_minutes": ("应出勤（分钟）", "BIGINT", {}),
            "filing_days": ("应填报天数", "BIGINT", {}), "filed_days": ("按时填报天数", "BIGINT", {}),
            "logs_needing_review": ("需审阅日志", "BIGINT", {}), "logs_fully_reviewed": ("已审阅日志", "BIGINT", {}),
            "logs_reviewed_on_time": ("按时审阅日志", "BIGINT", {}),
            "unit_workload_ratio": ("单位工作量比率", "FLOAT", {"src": ("metrics_by_period", "workload_ratio")}),
            "load_band": ("负荷区间", "STRING", {"desc": "低于 90 %、90 %–100 %、高于 100 %：按单位工作量比率划分（7 小时/工作日为 100 %）"}),
            "score": ("综合得分", "DECIMAL", {"src": ("unit_score_by_period", "score")}),
            "grade_label": ("等次", "STRING", {}),
            "rank_in_group": ("组内排名", "INTEGER", {"src": ("unit_score_by_period", "rank_in_group")}),
            "implied_fte": ("折算在岗人数", "FLOAT", {"src": ("headcount_efficiency_by_period", "implied_fte")}),
            "actual_staff": ("实际在岗人数", "FLOAT", {"src": ("headcount_efficiency_by_period", "actual_staff")}),
            "authorized_headcount": ("编制数", "INTEGER", {"src": ("headcount_efficiency_by_period", "authorized_headcount")}),
            "post_surplus": ("编制余缺", "FLOAT", {"src": ("headcount_efficiency_by_period", "post_surplus")}),
            "city_workload_minutes": ("全市工作量（分钟）", "BIGINT", {"desc": "本统计期全市各单位工作量之和"}),
            "city_expected_minutes": ("全市应出勤（分钟）", "BIGINT", {"desc": "本统计期全市各单位应出勤分钟之和"}),
            "peer_workload_minutes": ("同类组工作量（分钟）", "BIGINT", {"desc": "本统计期本单位所在同类组各单位工作量之和"}),
            "peer_expected_minutes": ("同类组应出勤（分钟）", "BIGINT", {"desc": "本统计期本单位所在同类组各单位应出勤分钟之和"}),
        },
        metrics=RATIO_METRICS + [
            m("city_ratio", "全市平均", "MAX(city_workload_minutes)::float / NULLIF(MAX(city_expected_minutes), 0)", ".1%",
              "全市的工作量比率 = 全市 Σ工作量 ÷ Σ应出勤（不受单位层级、类型、同类组筛选的影响）"),
            m("peer_ratio", "同类组平均", "MAX(peer_workload_minutes)::float / NULLIF(MAX(peer_expected_minutes), 0)", ".1%",
              "单位所在同类组的工作量比率 = 组内 Σ工作量 ÷ Σ应出勤"),
            PERIOD_ORDER,
            m("units", "单位数", "COUNT(DISTINCT unit_id)", ",d", "单位数"),
            m("units_over_100", "高于 100 % 的单位", "COUNT(DISTINCT CASE WHEN unit_workload_ratio > 1.0 THEN unit_id END)", ",d",
              "工作量比率高于 100 %（日均超过 7 小时）的单位数"),
            m("units_under_90", "低于 90 % 的单位", "COUNT(DISTINCT CASE WHEN unit_workload_ratio < 0.9 THEN unit_id END)", ",d",
              "工作量比率低于 90 % 的单位数"),
            m("avg_score", "综合得分", "AVG(score)", ".2f", "综合得分（百分制）= 指标得分 − 扣分 + 加分"),
            m("post_surplus_sum", "编制余缺（人）", POST_SURPLUS_SUM, ".1f",
              "编制余缺 = 编制数 − 折算在岗人数（工作量 ÷ (工作日 × 420 分钟)）；正数为编制富余，负数为缺编"),
            m("implied_fte_sum", "折算在岗人数", "SUM(implied_fte)", ".1f", "工作量折算的全职人数"),
            m("authorized_sum", "编制数", "SUM(authorized_headcount)", ",d", "编制数"),
            m("line_90", "90 % 线", "MAX(0.9)", ".0%", "参考线：工作量比率 90 %"),
            m("line_100", "100 % 线", "MAX(1.0)", ".0%", "参考线：工作量比率 100 %（每工作日 7 小时）"),
        ])

dataset("category_share", "category_share_by_unit", "工作类别占比（单位）", sql=f"""
SELECT c.period, {PERIOD_CN.format(p='c.period', c='u.is_complete')} AS period_label, c.period_type, c.unit_id, u.unit_name,
       u.unit_level,
       {LEVEL_CN.format(c='u.unit_level')} AS unit_level_label, u.peer_group,
       {PEER_CN.format(c='u.peer_group')} AS peer_group_label, {TYPE_CN.format(c='d.unit_type')} AS unit_type_label,
       CASE WHEN c.is_common THEN c.category_name ELSE '个性工作' END AS category_name,
       c.category_minutes
FROM kaoping.category_share_by_period c
JOIN kaoping.metrics_by_period u
  ON u.level = 'UNIT' AND u.entity_id = c.entity_id AND u.period_type = c.period_type AND u.period = c.period
LEFT JOIN kaoping.dim_unit d ON d.unit_id = c.unit_id
WHERE c.level = 'UNIT'
""", description="每个单位、统计期和工作类别一行（单位自定义的个性类别合为“个性工作”）。读 kaoping.category_share_by_period、"
                 "kaoping.metrics_by_period、kaoping.dim_unit（单位类型）。",
        columns={
            "period": ("统计期（不标暂定）", "STRING", {}),
            "period_label": ("统计期", "STRING", {"desc": "统计期；未结束（或仍在填报宽限期内）的标“（暂定）”"}),
            "period_type": ("期类型", "STRING", {}),
            "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}),
            "unit_level": ("单位层级代码", "STRING", {}), "unit_level_label": ("单位层级", "STRING", {}),
            "peer_group": ("同类组代码", "STRING", {}), "peer_group_label": ("同类组", "STRING", {}),
            "unit_type_label": ("单位类型", "STRING", {}),
            "category_name": ("工作类别", "STRING", {}),
            "category_minutes": ("类别分钟数", "BIGINT", {"src": ("category_share_by_period", "category_minutes")}),
        },
        metrics=[m("category_minutes", "工作分钟数", "SUM(category_minutes)", ",d",
                   "计入工作量的日志分钟数；占比 = 类别分钟数 / 工作量（category_share）")])

# 职能履行 per unit and period, with the unit's duties other units claim too (职责交叉: the register as it stands, no period)
dataset("duty_coverage", "duty_coverage_by_unit", "职能履行（单位）", sql=f"""
SELECT c.period, {PERIOD_CN.format(p='c.period', c='u.is_complete')} AS period_label, c.period_type, c.unit_id, u.unit_name,
       {LEVEL_CN.format(c='u.unit_level')} AS unit_level_label, {PEER_CN.format(c='u.peer_group')} AS peer_group_label,
       {TYPE_CN.format(c='d.unit_type')} AS unit_type_label,
       c.duties_listed, c.duties_with_work, c.duties_missing, c.duty_minutes,
       (SELECT count(DISTINCT o.duty_id) FROM kaoping.duty_overlap o WHERE o.unit_id = c.unit_id) AS overlapping_duties
FROM kaoping.duty_coverage_by_period c
JOIN kaoping.metrics_by_period u
  ON u.level = 'UNIT' AND u.entity_id = c.unit_id AND u.period_type = c.period_type AND u.period = c.period
LEFT JOIN kaoping.dim_unit d ON d.unit_id = c.unit_id
WHERE c.level = 'UNIT'
""", description="每个单位、统计期一行：登记的职能任务、本期有工作记录的、职能缺失的、记入职能的工作量，以及其他单位也登记了的职能数"
                 "（职责交叉）。读 kaoping.duty_coverage_by_period、kaoping.duty_overlap、kaoping.metrics_by_period、"
                 "kaoping.dim_unit（单位类型）。",
        columns={
            "period": ("统计期（不标暂定）", "STRING", {}),
            "period_label": ("统计期", "STRING", {"desc": "统计期；未结束（或仍在填报宽限期内）的标“（暂定）”"}),
            "period_type": ("期类型", "STRING", {}),
            "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}),
            "unit_level_label": ("单位层级", "STRING", {}), "peer_group_label": ("同类组", "STRING", {}),
            "unit_type_label": ("单位类型", "STRING", {}),
            "duties_listed": ("职能任务数", "BIGINT", {"src": ("duty_coverage_by_period", "duties_listed")}),
            "duties_with_work": ("有工作记录的职能", "BIGINT", {"src": ("duty_coverage_by_period", "duties_with_work")}),
            "duties_missing": ("职能缺失", "BIGINT", {"src": ("duty_coverage_by_period", "duties_missing")}),
            "duty_minutes": ("职能工作量（分钟）", "BIGINT", {"src": ("duty_coverage_by_period", "duty_minutes")}),
            "overlapping_duties": ("职责交叉", "BIGINT", {"desc": "本单位登记、其他单位也登记了的职能数（同类组内同名，或职责边界清单编号相同）"}),
        },
        metrics=[m("duty_coverage_rate", "职能履行率", "SUM(duties_with_work)::float / NULLIF(SUM(duties_listed), 0)", ".1%",
                   "职能履行率 = 本期有计入工作日志的职能任务 / 登记的职能任务。coverage_rate = duties_with_work / duties_listed"),
                 m("duties_listed_sum", "职能任务", "SUM(duties_listed)", ",d", "登记的职能任务数（三定职能分解到单位和科室）"),
                 m("duties_missing_sum", "职能缺失", "SUM(duties_missing)", ",d", "本期无工作记录的职能任务数"),
                 m("hours_per_duty", "每项职能（小时）", "SUM(duty_minutes)::float / 60 / NULLIF(SUM(duties_listed), 0)", ".1f",
                   "记入职能的工作量 ÷ 职能任务数，按小时。minutes_per_duty = duty_minutes / duties_listed"),
                 m("overlapping_duties_sum", "职责交叉", "SUM(overlapping_duties)", ",d",
                   "其他单位也登记了的职能数（同类组内同名，或职责边界清单编号相同）")])

# How many units are in each load band: counts without unit ids, so row-level security leaves them whole and a unit
# leader sees the city's distribution (with the overview's filters), not a 100 % donut of their one unit
dataset("load_bands", "load_band_distribution", "单位负荷分布（单位数）", sql=f"""
SELECT m.period, {PERIOD_CN.format(p='m.period', c='m.is_complete')} AS period_label, m.period_type,
       {LEVEL_CN.format(c='m.unit_level')} AS unit_level_label, {PEER_CN.format(c='m.peer_group')} AS peer_group_label,
       {TYPE_CN.format(c='d.unit_type')} AS unit_type_label, {LOAD_BAND.format(c='m.workload_ratio')} AS load_band,
       count(*) AS unit_count
FROM kaoping.metrics_by_period m
LEFT JOIN kaoping.dim_unit d ON d.unit_id = m.unit_id
WHERE m.level = 'UNIT'
GROUP BY 1, 2, 3, 4, 5, 6, 7
""", description="每个统计期、单位层级、类型、同类组和负荷区间的单位数（不带单位编号：行级权限不筛掉它，单位领导看到的也是全市的分布）。"
                 "读 kaoping.metrics_by_period（level = UNIT）、kaoping.dim_unit（单位类型）。",
        columns={
            "period": ("统计期（不标暂定）", "STRING", {}),
            "period_label": ("统计期", "STRING", {"desc": "统计期；未结束（或仍在填报宽限期内）的标“（暂定）”"}),
            "period_type": ("期类型", "STRING", {}),
            "unit_level_label": ("单位层级", "STRING", {}), "peer_group_label": ("同类组", "STRING", {}),
            "unit_type_label": ("单位类型", "STRING", {}),
            "load_band": ("负荷区间", "STRING", {"desc": "低于 90 %、90 %–100 %、高于 100 %：按单位工作量比率划分（7 小时/工作日为 100 %）"}),
            "unit_count": ("单位数", "BIGINT", {"desc": "该区间的单位数"}),
        },
        metrics=[m("band_units", "单位数", "SUM(unit_count)", ",d", "负荷区间内的单位数"),
                 m("units_over_100", "高于 100 % 的单位", "COALESCE(SUM(CASE WHEN load_band = '高于 100 %' THEN unit_count END), 0)",
                   ",d", "工作量比率高于 100 %（日均超过 7 小时）的单位数"),
                 m("units_under_90", "低于 90 % 的单位", "COALESCE(SUM(CASE WHEN load_band = '低于 90 %' THEN unit_count END), 0)",
                   ",d", "工作量比率低于 90 % 的单位数")])

# Quarters only, readable columns first: right-click → 钻取详情 lists these columns in this order, so no code
# (period_type, peer_group, grade) is shown to the committee; rank_order keeps the ranking grouped by peer group.
# Not named after the view it reads: Superset applies a unit leader's row-level security to a table a virtual dataset
# reads when a dataset of that name has a rule, which would cut unit_comparison's averages down to the leader's unit.
dataset("unit_score", "unit_ranking", "单位综合得分与排名", sql=f"""
SELECT {PERIOD_CN.format(p='s.period', c='s.is_complete')} AS period_label,
       {PEER_CN.format(c='s.peer_group')} AS peer_group_label,
       {RANK_OF_CN.format(r='s.rank_in_group', n='s.group_size')} AS rank_label,
       s.unit_name, s.score, {GRADE_CN.format(c='s.grade')} AS grade_label,
       {SCORE_CHANGE_CN.format(c='s.score_change')} AS score_change_label,
       {RANK_CHANGE_CN.format(c='s.rank_change')} AS rank_change_label,
       s.indicator_points, s.penalty_points, s.bonus_points,
       coalesce((SELECT string_agg({INDICATOR_CN.format(c='trim(i)')}, '、')
                 FROM unnest(string_to_array(s.missing_indicators, ',')) AS i), '—') AS missing_indicators,
       s.period, CASE WHEN s.is_complete THEN '已结束' ELSE '暂定' END AS period_status, s.unit_id, s.rank_in_group,
       s.group_size, dense_rank() OVER (ORDER BY s.peer_group) * 10000 + coalesce(s.rank_in_group, 9999) AS rank_order
FROM kaoping.unit_score_by_period s
WHERE s.period_type = 'QUARTER'
""", description="每个单位每个季度一行：同类组内的排名（名次 / 组内单位数）、得分、等次、较上季度的变化和得分的组成。"
                 "读 kaoping.unit_score_by_period（季度）。", columns={
    "period_label": ("考评期", "STRING", {"desc": "考评期；未结束（或仍在填报宽限期内）的标“（暂定）”，如 2025-Q4（暂定）"}),
    "peer_group_label": ("同类组", "STRING", {"desc": "差异化考核的同类组（peer_group）"}),
    "rank_label": ("排名", "STRING", {"desc": "同类组内的名次 / 组内单位数，如 6 / 8（与报告相同）；无得分为 —"}),
    "unit_name": ("单位", "STRING", {}),
    "score": ("得分", "DECIMAL", {"src": ("unit_score_by_period", "score")}),
    "grade_label": ("等次", "STRING", {"desc": "优秀 / 良好 / 一般（grade: EXCELLENT / GOOD / ADEQUATE）"}),
    "score_change_label": ("得分变化", "STRING", {"desc": "较上一季度的得分变化：上升 1.25 分、下降 0.50 分、持平；无上期得分为 —"}),
    "rank_change_label": ("名次变化", "STRING", {"desc": "较上一季度同类组内名次的变化：上升 n 位、下降 n 位、持平；无上期排名为 —"}),
    "indicator_points": ("指标得分", "DECIMAL", {"src": ("unit_score_by_period", "indicator_points")}),
    "penalty_points": ("扣分", "DECIMAL", {"src": ("unit_score_by_period", "penalty_points")}),
    "bonus_points": ("加分", "DECIMAL", {"src": ("unit_score_by_period", "bonus_points")}),
    "missing_indicators": ("缺失指标", "STRING", {"desc": "单位本期没有数据的指标，其权重按比例分给其余指标；没有则为 —"}),
    "period": ("季度", "STRING", {}),
    "period_status": ("期状态", "STRING", {"desc": "已结束，或暂定（季度未结束或仍在填报宽限期内）"}),
    "unit_id": ("单位编号", "BIGINT", {"detail": True}),
    "rank_in_group": ("名次", "INTEGER", {"src": ("unit_score_by_period", "rank_in_group")}),
    "group_size": ("组内单位数", "INTEGER", {"src": ("unit_score_by_period", "group_size")}),
    "rank_order": ("排列顺序", "BIGINT", {"desc": "按同类组、组内名次排列"}),
}, metrics=[m("avg_score", "平均得分", "AVG(score)", ".2f", "综合得分（百分制）的平均值"),
            # one row per unit and quarter: each of these is that row's own figure
            m("unit_score", "得分", "MAX(score)", ".2f", "综合得分（百分制）= 指标得分 − 扣分 + 加分"),
            m("unit_indicator_points", "指标得分", "MAX(indicator_points)", ".2f", "各指标得分之和"),
            m("unit_penalty_points", "扣分", "MAX(penalty_points)", ".2f", "督办问责扣分"),
            m("unit_bonus_points", "加分", "MAX(bonus_points)", ".2f", "目标任务提前完成加分"),
            m("rank_order", "排列顺序", "MIN(rank_order)", ",d", "季度排名的排列：按同类组，组内按名次"),
            m("period_order", "考评期排序", "MAX(CASE WHEN period_status = '已结束' THEN 'b' ELSE 'a' END || period)", None,
              "考评期筛选的排列：已结束的考评期从新到旧在前，未结束（暂定）的在后，故默认打开最新的已结束季度，与报告和推送一致")])

# Each unit's evaluation report of a quarter and the city-wide summary (no unit id: row-level security hides it from a
# unit leader), linked to the Superset of kaoping up, which serves the PDFs of <home>/reports to the readers allowed them
# (SupersetServer). Reports are written once a quarter is over (the demo, kaoping report, the service's report run).
REPORT_LINK = ("CASE WHEN {complete} THEN '<a href=\"/kaoping/reports/' || {period} || '/' || {unit} || '\" target=\"_blank\">'"
               " || {text} || '</a>' ELSE '季度结束后生成' END")
dataset("unit_reports", "unit_reports", "履职评估报告（PDF）", sql=f"""
SELECT {PERIOD_CN.format(p='s.period', c='s.is_complete')} AS period_label, s.unit_name,
       {REPORT_LINK.format(complete='s.is_complete', period='s.period', unit='s.unit_id', text="s.unit_name || ' ' || s.period || ' 履职评估报告'")} AS report_link,
       {PEER_CN.format(c='s.peer_group')} AS peer_group_label, s.period, s.unit_id,
       dense_rank() OVER (PARTITION BY s.period ORDER BY s.peer_group) * 10000 + coalesce(s.rank_in_group, 9999) AS rank_order
FROM kaoping.unit_score_by_period s
WHERE s.period_type = 'QUARTER'
UNION ALL
SELECT {PERIOD_CN.format(p='q.period', c='q.is_complete')}, '全市汇总',
       {REPORT_LINK.format(complete='q.is_complete', period='q.period', unit="'city'", text="'全市 ' || q.period || ' 履职评估汇总'")},
       NULL, q.period, NULL, 0
FROM (SELECT period, bool_and(is_complete) AS is_complete FROM kaoping.unit_score_by_period
      WHERE period_type = 'QUARTER' GROUP BY period) q
""", description="每个单位每个季度的履职评估报告（PDF）链接，及全市汇总（不带单位编号，单位领导看不到）。报告在季度结束后生成，"
                 "由 kaoping up 的 Superset 提供给有权阅读的人。读 kaoping.unit_score_by_period（季度）。",
        columns={
            "period_label": ("考评期", "STRING", {"desc": "考评期；未结束的标“（暂定）”"}),
            "unit_name": ("单位", "STRING", {}),
            "report_link": ("报告", "STRING", {"desc": "报告（PDF）的链接；季度未结束时为“季度结束后生成”"}),
            "peer_group_label": ("同类组", "STRING", {}),
            "period": ("季度", "STRING", {}), "unit_id": ("单位编号", "BIGINT", {"detail": True}),
            "rank_order": ("排列顺序", "BIGINT", {"desc": "全市汇总在前，其后按同类组、组内名次"}),
        })

# Each scored indicator of a unit's quarter, and each one it lacks (listed in missing_indicators: no value, its weight
# passed on to the others, so an effective weight and points of 0); a lacking indicator's weight is the scheme's as the
# other units of the peer group show it, else what the unit's own weights leave of 100 when it lacks only that one, else
# as any unit of the quarter shows it. Readable columns first (钻取详情).
dataset("indicator_points", "unit_indicator_points", "单位指标得分构成", sql=f"""
WITH scores AS (
  SELECT unit_id, unit_name, peer_group, period, is_complete, missing_indicators
  FROM kaoping.unit_score_by_period WHERE period_type = 'QUARTER'
), scored AS (
  SELECT p.period, p.entity_id AS unit_id, p.indicator, p.value, p.weight, p.effective_weight, p.points
  FROM kaoping.score_indicator_points p WHERE p.level = 'UNIT' AND p.period_type = 'QUARTER'
), lacking AS (
  SELECT s.period, s.unit_id, s.peer_group, trim(i.indicator) AS indicator,
         count(*) OVER (PARTITION BY s.period, s.unit_id) AS lacking_count
  FROM scores s CROSS JOIN LATERAL unnest(string_to_array(s.missing_indicators, ',')) AS i(indicator)
), weights AS (
  SELECT p.period, s.peer_group, p.indicator, max(p.weight) AS weight
  FROM scored p JOIN scores s ON s.unit_id = p.unit_id AND s.period = p.period GROUP BY p.period, s.peer_group, p.indicator
), year_weights AS (
  -- a yearly indicator (单位互评) is in no quarter's scores: its weight in the group, from the group's year scores
  SELECT u.peer_group, p.indicator, max(p.weight) AS weight
  FROM kaoping.score_indicator_points p
  JOIN kaoping.unit_score_by_period u ON u.unit_id = p.entity_id AND u.period = p.period
  WHERE p.level = 'UNIT' AND p.period_type = 'YEAR' GROUP BY u.peer_group, p.indicator
), parts AS (
  SELECT period, unit_id, indicator, value, weight, effective_weight, points FROM scored
  UNION ALL
  SELECT l.period, l.unit_id, l.indicator, NULL,
         coalesce(g.weight, CASE WHEN l.lacking_count = 1 THEN 100 - o.weight END, a.weight, y.weight), 0, 0
  FROM lacking l
  LEFT JOIN weights g ON g.period = l.period AND g.peer_group = l.peer_group AND g.indicator = l.indicator
  LEFT JOIN (SELECT period, unit_id, sum(weight) AS weight FROM scored GROUP BY period, unit_id) o
    ON o.period = l.period AND o.unit_id = l.unit_id
  LEFT JOIN (SELECT period, indicator, max(weight) AS weight FROM weights GROUP BY period, indicator) a
    ON a.period = l.period AND a.indicator = l.indicator
  LEFT JOIN year_weights y ON y.peer_group = l.peer_group AND y.indicator = l.indicator
)
SELECT {PERIOD_CN.format(p='s.period', c='s.is_complete')} AS period_label, s.unit_name,
       {PEER_CN.format(c='s.peer_group')} AS peer_group_label, {INDICATOR_CN.format(c='x.indicator')} AS indicator_name,
       {PERCENT_TEXT.format(c='x.value', none="'无数据'")} AS value_label,
       x.weight, coalesce(to_char(x.weight, 'FM990.00'), '—') AS weight_label, x.effective_weight, x.points, x.value,
       s.period, s.unit_id
FROM parts x
JOIN scores s ON s.unit_id = x.unit_id AND s.period = x.period
""", description="每个单位、季度和指标一行：指标值、权重、有效权重和得分（构成综合得分），也列出单位本期缺失的指标（无数据，"
                 "权重按比例分给其余指标，有效权重与得分为 0）。读 kaoping.score_indicator_points、kaoping.unit_score_by_period。",
        columns={
            "period_label": ("考评期", "STRING", {"desc": "考评期；未结束的标“（暂定）”"}),
            "unit_name": ("单位", "STRING", {}), "peer_group_label": ("同类组", "STRING", {}),
            "indicator_name": ("指标", "STRING", {}),
            "value_label": ("指标值", "STRING", {"desc": "指标的原始值（%）；单位本期没有这项指标时为“无数据”"}),
            "weight": ("权重（数值）", "DECIMAL", {"src": ("score_indicator_points", "weight")}),
            "weight_label": ("权重", "STRING", {"desc": "评分方案中该指标的权重；单位缺少的指标，其权重取自同类组有此指标的单位，"
                                                          "同类组本期、本年都没有单位有此指标时无从得知，显示“—”"}),
            "effective_weight": ("有效权重", "DECIMAL", {"src": ("score_indicator_points", "effective_weight")}),
            "points": ("指标得分", "DECIMAL", {"src": ("score_indicator_points", "points")}),
            "value": ("指标值（比率）", "FLOAT", {"src": ("score_indicator_points", "value")}),
            "period": ("季度", "STRING", {}), "unit_id": ("单位编号", "BIGINT", {"detail": True}),
        },
        metrics=[m("points", "指标得分", "SUM(points)", ".2f",
                   "指标得分 = 指标曲线达成比例 × 有效权重（该指标在综合得分中的分值）"),
                 m("weight", "权重", "MAX(weight)", ".2f", "评分方案中该指标的权重（百分制）"),
                 m("effective_weight", "有效权重", "MAX(effective_weight)", ".2f",
                   "有效权重 = 权重 × 100 ÷ 单位本期有数据的指标的权重之和（缺失指标的权重按比例分给其余指标）"),
                 m("indicator_value", "指标值", "AVG(value)", ".1%", "指标的原始值（比率）")])

# A unit beside its peer group and the city, three rows carrying the unit's id: a unit leader, whom row-level security
# limits to rows of their unit, still sees the averages they are measured against. Averages of ratios are Σ ÷ Σ.
dataset("unit_comparison", "unit_comparison", "本单位与同类组、全市平均", sql=f"""
WITH units AS (
  SELECT s.period, s.is_complete, s.unit_id, s.unit_name, s.peer_group, s.score, s.rank_in_group, s.group_size,
         m.workload_minutes, m.expected_minutes, m.filing_days, m.filed_days, m.logs_needing_review, m.logs_fully_reviewed,
         dense_rank() OVER (PARTITION BY s.period ORDER BY s.peer_group) * 10000 + coalesce(s.rank_in_group, 9999) AS rank_order
  FROM kaoping.unit_score_by_period s
  JOIN kaoping.metrics_by_period m
    ON m.level = 'UNIT' AND m.entity_id = s.unit_id AND m.period_type = s.period_type AND m.period = s.period
  WHERE s.period_type = 'QUARTER'
), peer_groups AS (
  SELECT period, peer_group, count(*) AS units, round(avg(score), 2) AS score, sum(workload_minutes) AS workload_minutes,
         sum(expected_minutes) AS expected_minutes, sum(filing_days) AS filing_days, sum(filed_days) AS filed_days,
         sum(logs_needing_review) AS logs_needing_review, sum(logs_fully_reviewed) AS logs_fully_reviewed
  FROM units GROUP BY period, peer_group
), city AS (
  SELECT period, count(*) AS units, round(avg(score), 2) AS score, sum(workload_minutes) AS workload_minutes,
         sum(expected_minutes) AS expected_minutes, sum(filing_days) AS filing_days, sum(filed_days) AS filed_days,
         sum(logs_needing_review) AS logs_needing_review, sum(logs_fully_reviewed) AS logs_fully_reviewed
  FROM units GROUP BY period
)
SELECT {PERIOD_CN.format(p='u.period', c='u.is_complete')} AS period_label, u.unit_name,
       {PEER_CN.format(c='u.peer_group')} AS peer_group_label, c.comparison, c.rank_label, c.score,
       c.workload_minutes, c.expected_minutes, c.filing_days, c.filed_days, c.logs_needing_review, c.logs_fully_reviewed,
       u.period, u.unit_id, u.rank_order * 10 + c.comparison_order AS row_order
FROM units u
JOIN peer_groups g ON g.period = u.period AND g.peer_group = u.peer_group
JOIN city a ON a.period = u.period
CROSS JOIN LATERAL (VALUES
  (1, '本单位', {RANK_OF_CN.format(r='u.rank_in_group', n='u.group_size')}, u.score, u.workload_minutes, u.expected_minutes,
   u.filing_days, u.filed_days, u.logs_needing_review, u.logs_fully_reviewed),
  (2, '同类组平均（' || g.units || ' 个单位）', '—', g.score, g.workload_minutes, g.expected_minutes, g.filing_days,
   g.filed_days, g.logs_needing_review, g.logs_fully_reviewed),
  (3, '全市平均（' || a.units || ' 个单位）', '—', a.score, a.workload_minutes, a.expected_minutes, a.filing_days, a.filed_days,
   a.logs_needing_review, a.logs_fully_reviewed)
) AS c(comparison_order, comparison, rank_label, score, workload_minutes, expected_minutes, filing_days, filed_days,
       logs_needing_review, logs_fully_reviewed)
""", description="每个单位每个季度三行：本单位、其同类组平均、全市平均（得分为平均得分，比率为 Σ分子 ÷ Σ分母），三行都带本单位的编号，"
                 "单位领导因此能看到自己单位所比的平均数。读 kaoping.unit_score_by_period、kaoping.metrics_by_period。",
        columns={
            "period_label": ("考评期", "STRING", {"desc": "考评期；未结束的标“（暂定）”"}),
            "unit_name": ("单位", "STRING", {}), "peer_group_label": ("同类组", "STRING", {}),
            "comparison": ("对比", "STRING", {"desc": "本单位、同类组平均（n 个单位）或全市平均（n 个单位）"}),
            "rank_label": ("排名", "STRING", {"desc": "本单位在同类组内的名次 / 组内单位数；平均行为 —"}),
            "score": ("得分", "DECIMAL", {"desc": "本单位的综合得分，或同类组、全市单位综合得分的平均"}),
            "workload_minutes": ("工作量（分钟）", "BIGINT", {}), "expected_minutes": ("应出勤（分钟）", "BIGINT", {}),
            "filing_days": ("应填报天数", "BIGINT", {}), "filed_days": ("按时填报天数", "BIGINT", {}),
            "logs_needing_review": ("需审阅日志", "BIGINT", {}), "logs_fully_reviewed": ("已审阅日志", "BIGINT", {}),
            "period": ("季度", "STRING", {}), "unit_id": ("单位编号", "BIGINT", {"detail": True}),
            "row_order": ("排列顺序", "BIGINT", {"desc": "按同类组、组内名次，每个单位依次为本单位、同类组平均、全市平均"}),
        },
        metrics=RATIO_METRICS[:3] + [
            m("comparison_score", "得分", "MAX(score)", ".2f", "本单位的综合得分，或同类组、全市的平均得分"),
            m("row_order", "排列顺序", "MIN(row_order)", ",d", "按同类组、组内名次，每个单位依次为本单位、同类组平均、全市平均")])

dataset("section_metrics", "section_by_period", "科室指标（按期）", sql=f"""
SELECT m.period, {PERIOD_CN.format(p='m.period', c='m.is_complete')} AS period_label, m.period_type, m.unit_id, m.unit_name, m.peer_group,
       {PEER_CN.format(c='m.peer_group')} AS peer_group_label,
       m.section_id, m.entity_name AS section_name,
       m.workload_minutes, m.expected_minutes, m.filing_days, m.filed_days,
       m.logs_needing_review, m.logs_fully_reviewed, m.logs_reviewed_on_time, m.logs_returned,
       h.implied_fte, h.authorized_headcount, h.post_surplus,
       coalesce(to_char(round(h.post_surplus::numeric, 1), 'FM9990.0'), '—') AS post_surplus_label
FROM kaoping.metrics_by_period m
LEFT JOIN kaoping.headcount_efficiency_by_period h
  ON h.level = 'SECTION' AND h.entity_id = m.section_id AND h.period_type = m.period_type AND h.period = m.period
WHERE m.level = 'SECTION'
UNION ALL
-- the unit's leaders, who belong to no section, as one row: 单位领导, as the people and log lists name them
SELECT m.period, {PERIOD_CN.format(p='m.period', c='bool_and(m.is_complete)')}, m.period_type, m.unit_id, m.unit_name,
       m.peer_group, {PEER_CN.format(c='m.peer_group')}, NULL, '单位领导', sum(m.workload_minutes), sum(m.expected_minutes), sum(m.filing_days), sum(m.filed_days),
       sum(m.logs_needing_review), sum(m.logs_fully_reviewed), sum(m.logs_reviewed_on_time), sum(m.logs_returned), NULL, NULL,
       NULL, '—'
FROM kaoping.metrics_by_period m
WHERE m.level = 'PERSON' AND m.section_id IS NULL
GROUP BY m.period, m.period_type, m.unit_id, m.unit_name, m.peer_group
""", description="每个科室每个统计期一行，另有每个单位的“单位领导”一行（不属任何科室的领导，其人员指标之和；编制余缺按科室计，此行为 —）。"
                 "读 kaoping.metrics_by_period（level = SECTION、PERSON）、kaoping.headcount_efficiency_by_period。",
        columns={
            "period": ("考评期（不标暂定）", "STRING", {}), "period_label": ("考评期", "STRING", {"desc": "考评期；未结束（或仍在填报宽限期内）的标“（暂定）”"}),
            "period_type": ("期类型", "STRING", {}),
            "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}),
            "peer_group": ("同类组代码", "STRING", {}), "peer_group_label": ("同类组", "STRING", {}),
            "section_id": ("科室编号", "BIGINT", {}), "section_name": ("科室", "STRING", {}),
            "workload_minutes": ("工作量（分钟）", "BIGINT", {}), "expected_minutes": ("应出勤（分钟）", "BIGINT", {}),
            "filing_days": ("应填报天数", "BIGINT", {}), "filed_days": ("按时填报天数", "BIGINT", {}),
            "logs_needing_review": ("需审阅日志", "BIGINT", {}), "logs_fully_reviewed": ("已审阅日志", "BIGINT", {}),
            "logs_reviewed_on_time": ("按时审阅日志", "BIGINT", {}),
            "logs_returned": ("被退回日志", "BIGINT", {"desc": "需审阅的日志中至少被退回一次的条数（各轮审阅合计）"}),
            "implied_fte": ("折算在岗人数", "FLOAT", {"src": ("headcount_efficiency_by_period", "implied_fte")}),
            "authorized_headcount": ("编制数", "INTEGER", {"src": ("headcount_efficiency_by_period", "authorized_headcount")}),
            "post_surplus": ("编制余缺", "FLOAT", {"src": ("headcount_efficiency_by_period", "post_surplus")}),
            "post_surplus_label": ("编制余缺（人）", "STRING", {"desc": "编制余缺，一位小数（负数为缺编）；单位领导行为 —（编制按科室核定）"}),
        },
        metrics=RATIO_METRICS + [RETURN_RATE, m("post_surplus_sum", "编制余缺合计（人）", POST_SURPLUS_SUM, ".1f",
                                   "编制余缺 = 编制数 − 折算在岗人数；负数为缺编")])

dataset("person_metrics", "person_by_period", "人员指标与得分（按期）", sql=f"""
SELECT m.period, {PERIOD_CN.format(p='m.period', c='m.is_complete')} AS period_label, m.period_type, m.unit_id, m.unit_name, m.peer_group,
       {PEER_CN.format(c='m.peer_group')} AS peer_group_label,
       m.section_id, coalesce(sn.section_name, '单位领导') AS section_name, m.staff_id, m.entity_name AS staff_name,
       m.workload_minutes, m.expected_minutes, m.filing_days, m.filed_days,
       m.logs_needing_review, m.logs_fully_reviewed, m.logs_reviewed_on_time, m.logs_returned,
       p.score AS person_score, {GRADE_CN.format(c='p.grade')} AS person_grade, p.rank_in_unit, p.unit_size,
       r.items_due, r.completed_by_deadline, r.completed_early, r.overdue,
       CASE WHEN r.items_due IS NULL THEN '—' ELSE r.completed_by_deadline || ' / ' || r.items_due
         || CASE WHEN r.completed_early > 0 THEN '（提前 ' || r.completed_early || '）' ELSE '' END END AS responsibility_label
FROM kaoping.metrics_by_period m
LEFT JOIN kaoping.dim_section sn ON sn.section_id = m.section_id
LEFT JOIN kaoping.person_score_by_period p
  ON p.staff_id = m.staff_id AND p.period_type = m.period_type AND p.period = m.period
LEFT JOIN kaoping.responsibility_by_period r
  ON r.staff_id = m.staff_id AND r.period_type = m.period_type AND r.period = m.period
WHERE m.level = 'PERSON'
""", description="每人每个统计期一行：工作量、填报、审阅、本人负责的督办事项和目标任务（定任务、定人员、定时限）和个人贡献指数得分。"
                 "读 kaoping.metrics_by_period（level = PERSON）、kaoping.dim_section（科室名称）、"
                 "kaoping.person_score_by_period、kaoping.responsibility_by_period。",
        columns={
            "period": ("考评期（不标暂定）", "STRING", {}), "period_label": ("考评期", "STRING", {"desc": "考评期；未结束（或仍在填报宽限期内）的标“（暂定）”"}),
            "period_type": ("期类型", "STRING", {}),
            "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}),
            "peer_group": ("同类组代码", "STRING", {}), "peer_group_label": ("同类组", "STRING", {}),
            "section_id": ("科室编号", "BIGINT", {}), "section_name": ("科室", "STRING", {}),
            "staff_id": ("人员编号", "BIGINT", {}), "staff_name": ("姓名", "STRING", {}),
            "workload_minutes": ("工作量（分钟）", "BIGINT", {}), "expected_minutes": ("应出勤（分钟）", "BIGINT", {}),
            "filing_days": ("应填报天数", "BIGINT", {}), "filed_days": ("按时填报天数", "BIGINT", {}),
            "logs_needing_review": ("需审阅日志", "BIGINT", {}), "logs_fully_reviewed": ("已审阅日志", "BIGINT", {}),
            "logs_reviewed_on_time": ("按时审阅日志", "BIGINT", {}),
            "logs_returned": ("被退回日志", "BIGINT", {"desc": "需审阅的日志中至少被退回一次的条数（各轮审阅合计）"}),
            "person_score": ("个人得分", "DECIMAL", {"src": ("person_score_by_period", "score")}),
            "person_grade": ("个人等次", "STRING", {}),
            "rank_in_unit": ("单位内排名", "INTEGER", {"src": ("person_score_by_period", "rank_in_unit")}),
            "unit_size": ("单位人数", "INTEGER", {}),
            "items_due": ("责任事项到期数", "BIGINT", {"src": ("responsibility_by_period", "items_due")}),
            "completed_by_deadline": ("责任事项按期完成数", "BIGINT", {"src": ("responsibility_by_period", "completed_by_deadline")}),
            "completed_early": ("责任事项提前完成数", "BIGINT", {"src": ("responsibility_by_period", "completed_early")}),
            "overdue": ("责任事项逾期数", "BIGINT", {"src": ("responsibility_by_period", "overdue")}),
            "responsibility_label": ("责任事项（按期/到期）", "STRING", {
                "desc": "本人作为责任人的督办事项和作为责任领导的目标任务：本期到期（办结或逾期）的件数中按期完成的件数，"
                        "括号内为提前完成的件数；本期没有到期事项的为 —。计入个人贡献指数的“责任事项按期率”"}),
        },
        metrics=RATIO_METRICS + [RETURN_RATE, m("person_score", "个人得分", "AVG(person_score)", ".2f",
                                   "个人贡献指数（百分制）= 指标得分 − 扣分 + 加分"),
                                 m("rank_in_unit", "单位内排名", "MIN(rank_in_unit)", ",d", "个人得分在本单位内的名次")])

# 周自查: each person's latest ISO week, the week the self-check is of; its rates as text, as a week with no expected time
# (a Monday on leave) has none
dataset("weekly_self_check", "weekly_self_check", "本周自查（人员）", sql=f"""
SELECT w.period AS week, w.period || '（' || to_char(w.week_start, 'MM-DD') || ' 至 ' || to_char(w.week_end, 'MM-DD') || '）'
         AS week_label, w.week_start, w.unit_id, w.unit_name, w.section_id,
       coalesce(w.section_name, '单位领导') AS section_name, w.staff_id, w.entity_name AS staff_name,
       w.workload_minutes, w.expected_minutes, {PERCENT_TEXT.format(c='w.workload_ratio', none="'—'")} AS workload_ratio_label,
       w.filing_days, w.filed_days, {PERCENT_TEXT.format(c='w.fill_rate', none="'—'")} AS fill_rate_label,
       w.logs_needing_review, w.logs_awaiting_review, w.logs_returned
FROM kaoping.self_check_by_week w
WHERE w.level = 'PERSON' AND w.week_start = (SELECT max(week_start) FROM kaoping.self_check_by_week)
""", description="最近一周（ISO 周，周一至周日）每人一行：工作量与应出勤、填报、待审阅与被退回的日志，供每周自查。"
                 "读 kaoping.self_check_by_week（level = PERSON）。",
        columns={
            "week": ("周次代码", "STRING", {"src": ("self_check_by_week", "period")}),
            "week_label": ("周次", "STRING", {"desc": "ISO 周：年份、W 和周序号，括号内为周一至周日"}),
            "week_start": ("周一", "DATE", {"dttm": True}),
            "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}),
            "section_id": ("科室编号", "BIGINT", {}), "section_name": ("科室", "STRING", {}),
            "staff_id": ("人员编号", "BIGINT", {}), "staff_name": ("姓名", "STRING", {}),
            "workload_minutes": ("工作量（分钟）", "BIGINT", {"src": ("self_check_by_week", "workload_minutes")}),
            "expected_minutes": ("应出勤（分钟）", "BIGINT", {"src": ("self_check_by_week", "expected_minutes")}),
            "workload_ratio_label": ("工作量比率", "STRING", {"desc": "工作量 / 应出勤分钟；本周无应出勤时为 —"}),
            "filing_days": ("应填报天数", "BIGINT", {}), "filed_days": ("按时填报天数", "BIGINT", {}),
            "fill_rate_label": ("填报率", "STRING", {"desc": "按时填报天数 / 应填报天数；本周无应填报日时为 —"}),
            "logs_needing_review": ("需审阅日志", "BIGINT", {}),
            "logs_awaiting_review": ("待审阅日志", "BIGINT", {"desc": "本周日志中最后一轮尚未审阅完毕的条数"}),
            "logs_returned": ("被退回日志", "BIGINT", {"desc": "本周日志中至少被退回一次的条数（各轮审阅合计）"}),
        })

dataset("work_log", "work_log_detail", "工作日志明细", sql=f"""
WITH categories AS (
  SELECT DISTINCT category, category_name FROM kaoping.category_share_by_period
), quarters AS ({QUARTERS})
SELECT to_char(w.work_date, 'YYYY-"Q"Q') AS period, {PERIOD_CN.format(p='q.period', c='q.is_complete')} AS period_label,
       to_char(w.work_date, 'YYYY-MM') AS month,
       w.unit_id, u.unit_name, w.section_id, coalesce(s.section_name, '单位领导') AS section_name, w.staff_id, p.staff_name,
       w.log_id, w.work_date, coalesce(c.category_name, {CATEGORY_CN.format(c='w.category')}) AS category_name, w.minutes,
       {STATUS_CN.format(c='w.status')} AS status_label, w.is_counted, w.content, w.submitted_at,
       CASE WHEN r.log_id IS NULL THEN '无需审阅'
            WHEN r.is_fully_reviewed THEN '已审阅 ' || r.reached_level || '/' || r.required_levels || ' 级'
            ELSE '待审阅（已到 ' || coalesce(r.reached_level, 0) || '/' || r.required_levels || ' 级）' END AS review_state,
       CASE WHEN r.log_id IS NULL THEN '—' WHEN r.is_reviewed_on_time THEN '按时' WHEN r.is_fully_reviewed THEN '超时' ELSE '未完成' END
         AS review_timeliness,
       r.last_reviewed_at, coalesce(d.review_decisions, '—') AS review_decisions
FROM kaoping.fact_work_log w
LEFT JOIN kaoping.dim_unit u ON u.unit_id = w.unit_id
LEFT JOIN kaoping.dim_section s ON s.section_id = w.section_id
LEFT JOIN kaoping.dim_staff p ON p.staff_id = w.staff_id
LEFT JOIN categories c ON c.category = w.category
LEFT JOIN kaoping.fact_log_review r ON r.log_id = w.log_id
LEFT JOIN quarters q ON q.period = to_char(w.work_date, 'YYYY-"Q"Q')
LEFT JOIN (
  SELECT log_id, string_agg({REVIEW_LEVEL_CN.format(c='level')} || ' ' || coalesce(reviewer_name, '?') || '：'
                            || {DECISION_CN.format(c='decision')}, '；' ORDER BY level, reviewed_at) AS review_decisions
  FROM kaoping.fact_review_decision GROUP BY log_id
) d ON d.log_id = w.log_id
""", description="每条工作日志一行：日期、类别、分钟数、状态、内容、审阅进度和各级审阅意见。读 kaoping.fact_work_log、"
                 "kaoping.fact_log_review、kaoping.fact_review_decision、kaoping.dim_unit、dim_section、dim_staff（名称）、"
                 "kaoping.category_share_by_period（类别名称）。",
        columns={
            "period": ("考评期（不标暂定）", "STRING", {"desc": "日志日期所在季度"}),
            "period_label": ("考评期", "STRING", {"desc": "日志日期所在季度；未结束（或仍在填报宽限期内）的标“（暂定）”"}),
            "month": ("月份", "STRING", {}),
            "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}),
            "section_id": ("科室编号", "BIGINT", {}), "section_name": ("科室", "STRING", {}),
            "staff_id": ("人员编号", "BIGINT", {}), "staff_name": ("姓名", "STRING", {}),
            "log_id": ("日志编号", "BIGINT", {}), "work_date": ("日期", "DATE", {"dttm": True}),
            "category_name": ("工作类别", "STRING", {}),
            "minutes": ("分钟数", "INTEGER", {}), "status_label": ("状态", "STRING", {}),
            "is_counted": ("计入工作量", "BOOLEAN", {"src": ("fact_work_log", "is_counted")}),
            "content": ("工作内容", "STRING", {"src": ("fact_work_log", "content")}),
            "submitted_at": ("提交时间", "DATETIME", {"dttm": True}),
            "review_state": ("审阅进度", "STRING", {"desc": "已审阅的最高层级 / 需要的层级（科室负责人、分管领导、主要领导）"}),
            "review_timeliness": ("审阅时效", "STRING", {"src": ("fact_log_review", "is_reviewed_on_time")}),
            "last_reviewed_at": ("最近审阅时间", "DATETIME", {"dttm": True}),
            "review_decisions": ("审阅意见", "STRING", {"desc": "各级审阅人及其决定（同意、退回、批注），按层级和时间排列"}),
        },
        metrics=[m("log_count", "日志条数", "COUNT(*)", ",d", "日志条数"),
                 m("minutes_sum", "分钟数合计", "SUM(minutes)", ",d", "日志分钟数合计")])

dataset("review_decision", "review_decision_detail", "审阅意见明细", sql=f"""
WITH quarters AS ({QUARTERS})
SELECT to_char(r.work_date, 'YYYY-"Q"Q') AS period, {PERIOD_CN.format(p='q.period', c='q.is_complete')} AS period_label,
       to_char(r.work_date, 'YYYY-MM') AS month,
       r.unit_id, u.unit_name, r.section_id, coalesce(s.section_name, '单位领导') AS section_name, r.staff_id, p.staff_name,
       r.log_id, r.work_date, to_char(r.work_date, 'YYYY-MM-DD') AS log_date, r.review_id, r.level, {REVIEW_LEVEL_CN.format(c='r.level')} AS level_label,
       r.reviewer_name, r.decision, {DECISION_CN.format(c='r.decision')} AS decision_label,
       coalesce(r.comment, '—') AS comment, r.reviewed_at
FROM kaoping.fact_review_decision r
LEFT JOIN kaoping.dim_unit u ON u.unit_id = r.unit_id
LEFT JOIN kaoping.dim_section s ON s.section_id = r.section_id
LEFT JOIN kaoping.dim_staff p ON p.staff_id = r.staff_id
LEFT JOIN quarters q ON q.period = to_char(r.work_date, 'YYYY-"Q"Q')
""", description="每条审阅决定一行：所审日志（日期、作者）、层级、审阅人、决定、意见和时间。读 kaoping.fact_review_decision、"
                 "kaoping.dim_unit、dim_section、dim_staff（名称）。",
        columns={
            "period": ("考评期（不标暂定）", "STRING", {"desc": "所审日志日期所在季度"}),
            "period_label": ("考评期", "STRING", {"desc": "所审日志日期所在季度；未结束（或仍在填报宽限期内）的标“（暂定）”"}),
            "month": ("月份", "STRING", {}),
            "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}),
            "section_id": ("科室编号", "BIGINT", {}), "section_name": ("科室", "STRING", {}),
            "staff_id": ("人员编号", "BIGINT", {}), "staff_name": ("姓名", "STRING", {"desc": "日志作者"}),
            "log_id": ("日志编号", "BIGINT", {}), "work_date": ("日志日期", "DATE", {"dttm": True}),
            "log_date": ("日志日期", "STRING", {}),
            "review_id": ("审阅编号", "BIGINT", {}), "level": ("审阅层级代码", "INTEGER", {}),
            "level_label": ("审阅层级", "STRING", {"desc": "一级：科室负责人（或分管、主要领导）；二级：分管领导"}),
            "reviewer_name": ("审阅人", "STRING", {"src": ("fact_review_decision", "reviewer_name")}),
            "decision": ("决定代码", "STRING", {}),
            "decision_label": ("决定", "STRING", {"desc": "同意（APPROVED）、退回（RETURNED）、批注（COMMENTED）"}),
            "comment": ("审阅意见", "STRING", {"src": ("fact_review_decision", "comment")}), "reviewed_at": ("审阅时间", "DATETIME", {"dttm": True}),
        },
        metrics=[m("decisions", "审阅决定数", "COUNT(*)", ",d", "审阅决定条数")])

dataset("target_warning", "target_task_warning_detail", "目标任务预警（按月）", sql=f"""
WITH months AS (
  SELECT DISTINCT period, is_complete FROM kaoping.metrics_by_period WHERE period_type = 'MONTH'
)
SELECT {PERIOD_CN.format(p="to_char(t.month, 'YYYY-MM')", c='coalesce(c.is_complete, true)')} AS month_label, t.month,
       coalesce(c.is_complete, true) AS is_complete,
       CASE WHEN coalesce(c.is_complete, true) THEN '已结束，进度为月末的上报'
            ELSE '暂定：本月尚未结束（或仍在填报宽限期内），上报和核实还会变化' END AS period_note,
       t.unit_id, u.unit_name,
       {PEER_CN.format(c='u.peer_group')} AS peer_group_label,
       t.task_id, t.title, CASE t.kind WHEN 'COMMON' THEN '共性' WHEN 'INDIVIDUAL' THEN '个性' ELSE t.kind END AS kind_label,
       t.points, t.planned_progress, t.reported_progress, t.gap_points,
       t.warning_colour, {COLOUR_CN.format(c='t.warning_colour')} AS colour_label,
       t.escalation, {ESCALATION_CN.format(c='t.escalation')} AS escalation_label
FROM kaoping.target_task_warning t
LEFT JOIN kaoping.dim_unit u ON u.unit_id = t.unit_id
LEFT JOIN months c ON c.period = to_char(t.month, 'YYYY-MM')
""", description="每项目标任务每月一行：计划进度、上报进度、差距、五色预警和升级（警铃、黄牌、红牌）；未结束（或仍在填报宽限期内）"
                 "的月份标“（暂定）”。读 kaoping.target_task_warning、kaoping.dim_unit（单位名称）、kaoping.metrics_by_period（月份是否已结束）。",
        columns={
            "month_label": ("月份", "STRING", {"desc": "月份；未结束（或仍在填报宽限期内）的标“（暂定）”，如 2025-12（暂定）"}),
            "month": ("月初日期", "DATE", {"dttm": True}),
            "is_complete": ("月份已结束", "BOOLEAN", {}),
            "period_note": ("月份状态", "STRING", {"desc": "已结束，或暂定（月份未结束或仍在填报宽限期内）及其含义"}),
            "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}),
            "peer_group_label": ("同类组", "STRING", {}),
            "task_id": ("任务编号", "BIGINT", {}), "title": ("目标任务", "STRING", {}), "kind_label": ("任务类型", "STRING", {}),
            "points": ("分值", "DECIMAL", {}), "planned_progress": ("计划进度 %", "DECIMAL", {}),
            "reported_progress": ("上报进度 %", "DECIMAL", {}),
            "gap_points": ("进度差距（百分点）", "DECIMAL", {"desc": "计划进度 − 上报进度（百分点），正数为落后"}),
            "warning_colour": ("预警颜色代码", "STRING", {}),
            "colour_label": ("预警颜色", "STRING", {"desc": "黑色：计划已开始而未启动；红色：落后计划超过容差；绿色：按计划；蓝色：超前；橙色：已完成"}),
            "escalation": ("升级代码", "STRING", {}),
            "escalation_label": ("升级", "STRING", {"desc": "按落后程度升级：警铃、黄牌、红牌（格尔木做法）"}),
        },
        metrics=[m("tasks", "任务数", "COUNT(*)", ",d", "目标任务数（每项任务每月一行）"),
                 m("lagging", "滞后任务", "COUNT(CASE WHEN warning_colour IN ('RED', 'BLACK') THEN 1 END)", ",d",
                   "红色（落后）和黑色（未启动）的任务数"),
                 m("red_cards", "红牌", "COUNT(CASE WHEN escalation = 'RED_CARD' THEN 1 END)", ",d", "红牌数"),
                 m("yellow_cards", "黄牌", "COUNT(CASE WHEN escalation = 'YELLOW_CARD' THEN 1 END)", ",d", "黄牌数"),
                 m("bells", "警铃", "COUNT(CASE WHEN escalation = 'BELL' THEN 1 END)", ",d", "警铃数"),
                 m("on_plan_rate", "按计划率", "AVG(CASE WHEN warning_colour IN ('GREEN', 'BLUE', 'ORANGE') THEN 1.0 ELSE 0 END)",
                   ".1%", "按计划率 = (绿 + 蓝 + 橙) / 任务数（on_plan_rate）"),
                 m("max_gap", "最大差距", "MAX(gap_points)", ".2f", "最大进度差距（百分点）")])

# the reminders each item reached (三级提醒), by the month they were reached in: what `kaoping remind` delivers
dataset("reminders", "reminder_detail", "三级提醒（按月）", sql=f"""
WITH months AS (
  SELECT DISTINCT period, is_complete FROM kaoping.metrics_by_period WHERE period_type = 'MONTH'
)
SELECT {PERIOD_CN.format(p="to_char(r.reached_on, 'YYYY-MM')", c='coalesce(c.is_complete, true)')} AS month_label,
       r.reached_on, r.unit_id, u.unit_name, {PEER_CN.format(c='u.peer_group')} AS peer_group_label,
       r.item_kind, {ITEM_KIND_CN.format(c='r.item_kind')} AS item_kind_label, r.item_id, r.item_title, r.deadline,
       r.level, r.level_rank, {ESCALATION_CN.format(c='r.level')} AS level_label,
       s.staff_name AS recipient_name, {RECIPIENT_ROLE_CN.format(c='r.recipient_role')} AS recipient_role_label, r.reason
FROM kaoping.reminder r
LEFT JOIN kaoping.dim_unit u ON u.unit_id = r.unit_id
LEFT JOIN kaoping.dim_staff s ON s.staff_id = r.recipient_staff_id
LEFT JOIN months c ON c.period = to_char(r.reached_on, 'YYYY-MM')
""", description="督办事项和目标任务每达到一级提醒（警铃、黄牌、红牌）一行：达到的日期、接收人及其身份、原因；按达到的月份筛选，"
                 "未结束的月份标“（暂定）”。每条提醒由 kaoping remind 推送一次。读 kaoping.reminder、kaoping.dim_unit、kaoping.dim_staff、"
                 "kaoping.metrics_by_period（月份是否已结束）。",
        columns={
            "month_label": ("月份", "STRING", {"desc": "达到提醒级别的月份；未结束的标“（暂定）”"}),
            "reached_on": ("提醒日期", "DATE", {"dttm": True}),
            "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}),
            "peer_group_label": ("同类组", "STRING", {}),
            "item_kind": ("事项类别代码", "STRING", {}), "item_kind_label": ("事项类别", "STRING", {}),
            "item_id": ("事项编号", "BIGINT", {}), "item_title": ("事项", "STRING", {}),
            "deadline": ("期限", "DATE", {"desc": "督办事项的办结期限，目标任务的计划完成日期"}),
            "level": ("级别代码", "STRING", {}), "level_rank": ("级别序号", "INTEGER", {}),
            "level_label": ("级别", "STRING", {"desc": "警铃（致责任人）、黄牌（致分管领导）、红牌（致主要领导）"}),
            "recipient_name": ("接收人", "STRING", {}),
            "recipient_role_label": ("接收人身份", "STRING", {"desc": "责任人、分管领导或主要领导（缺少接收人时由主要领导代收）"}),
            "reason": ("原因", "STRING", {}),
        },
        metrics=[m("reminders", "提醒数", "COUNT(*)", ",d", "达到的提醒级别数（每件事项每级一次）"),
                 m("reminder_red_cards", "红牌", "COUNT(CASE WHEN level = 'RED_CARD' THEN 1 END)", ",d", "红牌数")])

dataset("data_quality", "data_quality_by_month", "数据质量（按规则、单位、月）", columns={
    "rule": ("规则代码", "STRING", {}), "model": ("模型", "STRING", {}), "disposition": ("处置代码", "STRING", {}),
    "unit_id": ("单位编号", "BIGINT", {}), "unit_name": ("单位", "STRING", {}), "month": ("月份", "STRING", {}),
    "rejected_rows": ("被拒记录数", "BIGINT", {}), "publication_id": ("发布批次", "BIGINT", {}),
    "rule_label": ("规则", "STRING", {"expr": RULE_CN.format(c="rule"),
                                    "desc": "规则说明（规则代码），说明写在声明规则的 staging 模型头部（-- rule:）"}),
    "disposition_label": ("处置", "STRING", {"expr": DISPOSITION_CN.format(c="disposition"),
                                          "desc": "隔离：不计入任何指标；标记：计入指标，列出待核实"}),
}, metrics=[m("rejected", "被拒记录", "SUM(rejected_rows)", ",d",
              "违反规则的记录数（ops.rejected_rows：每条记录每条规则一行）；隔离的不计入指标，标记的计入并列出")])

dataset("ingestion_lag", "ops_ingestion_lag", "采集延迟（按源系统）", columns={
    "source": ("源系统代码", "STRING", {}), "last_checkpoint_at": ("最近提交时间", "DATETIME", {"dttm": True}),
    "source_label": ("源系统", "STRING", {"expr": SOURCE_CN.format(c="source"),
                                        "desc": "工作日志系统（worklog）、审批与督办系统（approval）"}),
    "batches": ("批次数", "BIGINT", {}), "latest_source_commit_at": ("源端最新变更时间", "DATETIME", {"dttm": True}),
    "events_captured": ("已采集事件数", "BIGINT", {}), "capture_lag_seconds": ("采集延迟（秒）", "BIGINT", {}),
    "publication_id": ("发布批次", "BIGINT", {}),
}, metrics=[m("lag_seconds", "采集延迟（秒）", "MAX(capture_lag_seconds)", ",d",
              "采集延迟 = 最近一次提交批次的时间 − 已采集的最新源端变更时间")])

dataset("build_run", "ops_build_run", "数仓构建记录", columns={
    "build_id": ("构建编号", "STRING", {}), "started_at": ("开始时间", "DATETIME", {"dttm": True}),
    "finished_at": ("结束时间", "DATETIME", {"dttm": True}), "as_of_date": ("数据截至", "DATE", {}),
    "raw_snapshots": ("读取的快照", "STRING", {}), "output_snapshots": ("写出的快照", "STRING", {}),
    "rejected_rows": ("被拒记录", "BIGINT", {}), "refresh_scope": ("刷新范围代码", "STRING", {}),
    "publication_id": ("发布批次", "BIGINT", {}),
    "refresh_scope_label": ("刷新范围", "STRING", {"expr": REFRESH_CN.format(c="refresh_scope"),
                                              "desc": "全量重建（及原因）、增量（有变化的月份）或无变化"}),
    "duration_seconds": ("耗时（秒）", "FLOAT", {"expr": "EXTRACT(EPOCH FROM finished_at - started_at)",
                                             "desc": "结束时间 − 开始时间"}),
})

dataset("reconciliation", "ops_reconciliation", "对账状态（按源表）", columns={
    "source_table": ("源表", "STRING", {}), "reconciled_at": ("对账时间", "DATETIME", {"dttm": True}),
    "source_rows": ("源端行数", "BIGINT", {}), "staging_rows": ("数仓行数", "BIGINT", {}),
    "excluded_rows": ("隔离行数", "BIGINT", {}), "checksums_match": ("校验和一致", "BOOLEAN", {}),
    "is_ok": ("一致", "BOOLEAN", {}), "differing_keys": ("不一致的主键（原值）", "STRING", {}),
    "publication_id": ("发布批次", "BIGINT", {}),
    "differing_keys_label": ("不一致的主键", "STRING", {"expr": "coalesce(differing_keys, '—')",
                                                "desc": "至多五个不一致的主键，各附原因（源端没有、数仓缺失、内容不同）"}),
    "status_label": ("对账结果", "STRING", {"expr": "CASE WHEN is_ok THEN '一致' ELSE '不一致' END",
                                        "desc": "一致：校验和相同，且源端行数 = 数仓行数 + 隔离行数"}),
    "checksum_label": ("校验和", "STRING", {"expr": "CASE WHEN checksums_match THEN '相同' ELSE '不同' END"}),
}, metrics=[m("tables_differing", "不一致的表", "COUNT(CASE WHEN NOT is_ok THEN 1 END)", ",d",
              "最近一次对账中与源端不一致的表数"),
            m("tables_reconciled", "已对账的表", "COUNT(*)", ",d", "最近一次对账比对的源表数")],
        description="每个源表最近一次 kaoping reconcile 的结果（ops.reconciliation）：源端行数、数仓行数与隔离行数、校验和是否一致。")

dataset("publication", "publication", "发布记录", columns={
    "publication_id": ("发布批次", "BIGINT", {}), "build_id": ("构建编号", "STRING", {}),
    "published_at": ("发布时间", "DATETIME", {"dttm": True}), "as_of_date": ("数据截至", "DATE", {}),
    "scheme_name": ("评分方案代码", "STRING", {}), "scheme_version": ("方案版本（完整）", "STRING", {}),
    "refreshed": ("刷新内容", "STRING", {}),
    "scheme_label": ("评分方案", "STRING", {"expr": SCHEME_CN.format(c="scheme_name"),
                                        "desc": "内置方案（默认），或 scoring.scheme-file 指定的方案文件名"}),
    "scheme_version_short": ("方案版本", "STRING", {"expr": "left(scheme_version, 12)",
                                                "desc": "方案文本 SHA-256 的前 12 位（同一版本的方案算出同样的分）"}),
}, description="每次发布一行（kaoping.publication）：哪次构建、数据截至日期和评分方案。")


# ---- charts
CHARTS = {}


def flt(col, op, val):
    f = {"expressionType": "SIMPLE", "subject": col, "operator": op, "comparator": val, "clause": "WHERE",
         "sqlExpression": None, "isExtra": False, "isNew": False, "datasourceWarning": False,
         "filterOptionName": "filter_" + uid("adhoc", f"{col}{op}{val}")[:8]}
    return f


def chart(key, name, ds, viz, params, description=None):
    p = {"viz_type": viz, "adhoc_filters": [], "annotation_layers": [], "extra_form_data": {}, "dashboards": []}
    p.update(params)
    CHARTS[key] = dict(name=name, ds=ds, viz=viz, params=p, description=description)


def big(key, name, ds, metric, fmt, filters, sub="", size=0.4):
    """A headline number; its fonts are shares of the tile's height, so a tall tile takes a smaller size and no subtitle."""
    chart(key, name, ds, "big_number_total", {"metric": metric, "adhoc_filters": filters, "subheader": sub,
                                              "y_axis_format": fmt, "header_font_size": size, "subheader_font_size": size / 2})


def table(key, name, ds, groupby, metrics, filters, order_metric=None, asc=False, page=0, column_config=None,
          row_limit=1000, description=None, bars=False, search=True):
    p = {"query_mode": "aggregate", "groupby": groupby, "metrics": metrics, "all_columns": [], "percent_metrics": [],
         "adhoc_filters": filters, "order_by_cols": [], "row_limit": row_limit, "server_page_length": 10,
         "order_desc": not asc, "table_timestamp_format": "smart_date", "show_cell_bars": bars, "color_pn": True,
         "allow_rearrange_columns": False, "column_config": column_config or {}, "conditional_formatting": [],
         "include_search": search, "page_length": page}
    if order_metric:
        p["timeseries_limit_metric"] = order_metric
    chart(key, name, ds, "table", p, description)


# A list paged by the database (server pagination) may hold this many rows, Superset's most (TABLE_VIZ_MAX_ROW_SERVER):
# a quarter's logs of a whole city fit, so no list stops at a first thousand rows
SERVER_ROW_LIMIT = 500000
SERVER_PAGED_CSS = ".search-select-container { display: none; }\n"


def raw_table(key, name, ds, columns, filters, order_by, column_config=None, row_limit=1000, page=0, description=None,
              time_format="%Y-%m-%d", search=True, server_page=None, html=False):
    p = {"query_mode": "raw", "groupby": [], "metrics": [], "all_columns": columns, "percent_metrics": [],
         "allow_render_html": html,
         "adhoc_filters": filters, "order_by_cols": [json.dumps([c, asc]) for c, asc in order_by],
         "row_limit": row_limit, "server_page_length": 10, "table_timestamp_format": time_format,
         "show_cell_bars": False, "color_pn": True, "allow_rearrange_columns": False,
         "column_config": column_config or {}, "conditional_formatting": [], "include_search": search, "page_length": page}
    if server_page:
        # no search box: with server pagination Superset's asks "Search by:" a column it lists by its code (staff_name);
        # the column choice it shows even so is hidden by the dashboard's CSS (SERVER_PAGED_CSS)
        p.update(server_pagination=True, server_page_length=server_page, row_limit=SERVER_ROW_LIMIT, page_length=None,
                 include_search=False)
    chart(key, name, ds, "table", p, description)


def bar(key, name, ds, x, metrics, filters, groupby=(), stack=False, sort_by=None, asc=False, fmt="SMART_NUMBER",
        horizontal=False, row_limit=1000, x_title="", y_title="", legend=True, description=None, zoom=False):
    p = {"x_axis": x, "metrics": metrics, "groupby": list(groupby), "adhoc_filters": filters, "row_limit": row_limit,
         "orientation": "horizontal" if horizontal else "vertical", "y_axis_format": fmt, "show_legend": legend,
         "legendType": "scroll", "legendOrientation": "top", "rich_tooltip": True, "truncateYAxis": False,
         "x_axis_title": x_title, "x_axis_title_margin": 15, "y_axis_title": y_title, "y_axis_title_margin": 30,
         "y_axis_title_position": "Left", "color_scheme": "supersetColors", "only_total": True, "show_value": False,
         "zoomable": zoom, "xAxisLabelRotation": 45 if not horizontal else 0}
    if stack:
        p["stack"] = "Stack"
    if sort_by:
        p["x_axis_sort"] = sort_by
        p["x_axis_sort_asc"] = asc
    chart(key, name, ds, "echarts_timeseries_bar", p, description)


def line(key, name, ds, x, metrics, filters, groupby=(), fmt=".0%", description=None):
    """A line per metric over the months of x (a text column, one label per month: every month is labelled, a month
    not over reads 2025-12（暂定）); the y axis starts at 0."""
    p = {"x_axis": x, "metrics": metrics, "groupby": list(groupby), "adhoc_filters": filters,
         "row_limit": 10000, "y_axis_format": fmt, "show_legend": True, "legendType": "scroll", "legendOrientation": "top",
         "rich_tooltip": True, "markerEnabled": True, "markerSize": 6, "truncateYAxis": False, "y_axis_bounds": [0, None],
         "xAxisForceCategorical": True, "xAxisLabelInterval": "0", "xAxisLabelRotation": 45, "x_axis_sort": x,
         "x_axis_sort_asc": True, "color_scheme": "supersetColors", "seriesType": "line", "show_value": False}
    chart(key, name, ds, "echarts_timeseries_line", p, description)


def pie(key, name, ds, groupby, metric, filters, description=None):
    chart(key, name, ds, "pie", {"groupby": [groupby], "metric": metric, "adhoc_filters": filters, "row_limit": 100,
                                 "sort_by_metric": True, "show_legend": True, "legendType": "plain",
                                 "legendOrientation": "top", "label_type": "percent", "number_format": "SMART_NUMBER",
                                 "show_labels": True, "labels_outside": True, "label_line": True, "outerRadius": 55,
                                 "innerRadius": 35, "donut": True, "color_scheme": "supersetColors"}, description)


def banner(key, name, ds, label, word, description=None):
    """The period the filters chose, in words, provisional in bold (Superset's Handlebars chart, whose HTML it sanitises
    of classes and styles): {label} 2025-Q4（暂定）：暂定：…"""
    template = (f"{{{{#each data}}}}<p>{word} <b>{{{{{label}}}}}</b>：{{{{#if is_complete}}}}{{{{period_note}}}}"
                f"{{{{else}}}}<b>{{{{period_note}}}}</b>{{{{/if}}}}</p>{{{{/each}}}}")
    chart(key, name, ds, "handlebars", {"query_mode": "aggregate", "groupby": [label, "is_complete", "period_note"],
                                        "metrics": [], "all_columns": [], "row_limit": 10, "order_desc": True,
                                        "handlebarsTemplate": template, "styleTemplate": ""}, description)

Q = [flt("period_type", "==", "QUARTER")]


def named(column, label):
    """A series column under its Chinese name: 钻取详情 names the clicked series by it (指标 工作量比率, not indicator_name)."""
    return {"expressionType": "SQL", "sqlExpression": column, "label": label}


UNIT_PERIODS = []  # the overview's charts follow the period filter (any month, quarter or year)
PCT = {"d3NumberFormat": ".1%"}
DEC2 = {"d3NumberFormat": ".2f"}

# 1 overview
banner("ov_period", "所选统计期", "unit_overview", "period_label", "统计期",
       "统计期筛选选中的期，是否已结束；未结束（或仍在填报宽限期内）的期为暂定。")
big("ov_ratio", "平均工作量比率", "unit_overview", "workload_ratio", ".1%", UNIT_PERIODS, "Σ工作量 ÷ Σ应出勤")
# short titles, the unit count's words in the subtitle (高于 100 % 的单位 wrapped on its tile)
# counted over the city's units (load_bands has no unit ids): a unit leader sees how many units of the city, not of theirs
big("ov_over", "高于 100 %", "load_bands", "units_over_100", ",d", UNIT_PERIODS, "个单位，日均超过 7 小时")
big("ov_under", "低于 90 %", "load_bands", "units_under_90", ",d", UNIT_PERIODS, "个单位，负荷不足")
big("ov_fill", "填报率", "unit_overview", "fill_rate", ".1%", UNIT_PERIODS, "宽限期内按时填报")
big("ov_review", "审阅率", "unit_overview", "review_rate", ".1%", UNIT_PERIODS, "已完成全部审阅层级")
# each unit's bar beside its peer group's and the city's: a unit leader, who sees their one unit, sees what it is measured
# against (a line over one unit would be a lone point)
chart("ov_distribution", "各单位工作量比率与同类组、全市平均（90 % 与 100 % 线）", "unit_overview", "mixed_timeseries", {
    "x_axis": "unit_name", "metrics": ["workload_ratio", "peer_ratio", "city_ratio"], "groupby": [],
    "adhoc_filters": UNIT_PERIODS,
    "metrics_b": ["line_90", "line_100"], "groupby_b": [], "adhoc_filters_b": UNIT_PERIODS,
    "row_limit": 1000, "row_limit_b": 1000, "seriesType": "bar", "seriesTypeB": "line", "yAxisIndex": 0, "yAxisIndexB": 0,
    "y_axis_format": ".0%", "y_axis_format_secondary": ".0%", "show_legend": True, "legendType": "scroll",
    "legendOrientation": "top", "rich_tooltip": True, "markerEnabled": False,
    "markerEnabledB": True, "markerSizeB": 6,  # a line over one unit (a unit leader's) is one point: drawn as a marker
    "truncateYAxis": False, "xAxisLabelRotation": 45, "color_scheme": "supersetColors", "x_axis_sort": "workload_ratio",
    "x_axis_sort_asc": False, "order_desc": True, "order_desc_b": True, "timeseries_limit_metric": "workload_ratio",
    "zoomable": False, "only_total": True,
}, "每个单位的工作量比率（Σ工作量 ÷ Σ应出勤），旁边是其同类组、全市的工作量比率（组内、全市 Σ工作量 ÷ Σ应出勤），"
   "线为 90 % 和 100 %（每工作日 7 小时）参考线。单位领导看到本单位与这两个平均的比较。")
pie("ov_band", "单位负荷分布", "load_bands", "load_band", "band_units", UNIT_PERIODS,
    "按工作量比率把单位分为低于 90 %、90 %–100 %、高于 100 % 三档的单位数（全市，或按层级、类型、同类组筛选后）；"
    "单位领导看到的也是全市的分布。")
table("ov_ranking", "单位排名（工作量、填报、审阅、得分）", "unit_overview",
      ["period_label", "unit_name", "unit_level_label", "peer_group_label", "grade_label"],
      ["workload_ratio", "fill_rate", "review_rate", "avg_score", "post_surplus_sum"], UNIT_PERIODS,
      order_metric="workload_ratio", column_config={}, bars=True,
      description="所选统计期每个单位一行，按工作量比率从高到低；点击单位可交叉筛选本页其他图表。")
line("ov_trend", "月度趋势：工作量比率、填报率、审阅率", "unit_overview", "period_label",
     ["workload_ratio", "fill_rate", "review_rate"], [flt("period_type", "==", "MONTH")],
     description="每月全体（或筛选后）单位的合计比率；未结束的月份标“（暂定）”，其审阅率偏低是因为审阅尚未完成。不受统计期筛选影响。")
pie("ov_category", "工作类别占比", "category_share", "category_name", "category_minutes", [],
    "计入工作量的分钟数按类别的占比（休假不计）。")
bar("ov_headcount", "编制效能：编制余缺（人）", "unit_overview", "unit_name", ["post_surplus_sum"], UNIT_PERIODS,
    sort_by="post_surplus_sum", asc=True, fmt=".1f", legend=False,
    description="编制数 − 折算在岗人数。负数：工作量需要的人比编制多（缺编）；正数：编制富余。")

# 2 quarterly review
# Grouped with metrics (not a raw list) so that a right-click offers 钻取 and 钻取详情, as the help panel says
table("qr_ranking", "季度排名", "unit_score", ["period_label", "peer_group_label", "rank_label", "unit_name", "grade_label",
                                             "score_change_label", "rank_change_label"],
      ["unit_score", "unit_indicator_points", "unit_penalty_points", "unit_bonus_points"], [],
      order_metric="rank_order", asc=True,
      description="每个单位每个季度一行：同类组内的排名（名次 / 组内单位数）、得分（两位小数）、等次和较上季度的变化。点击单位名称，"
                  "下方科室、人员、日志和指标构成即只显示该单位；右键可钻取或查看钻取详情。")
raw_table("qr_reports", "履职评估报告（PDF）", "unit_reports", ["unit_name", "report_link"], [], [("rank_order", True)],
          search=False, html=True,
          description="所选季度每个单位的履职评估报告（PDF，与推送同一发布批次的数字）和全市汇总；点击打开。季度结束后生成。")
table("qr_compare", "本单位与同类组、全市平均", "unit_comparison", ["unit_name", "comparison", "rank_label"],
      ["comparison_score", "workload_ratio", "fill_rate", "review_rate"], [], order_metric="row_order", asc=True,
      description="每个单位与其同类组平均、全市平均并列：得分（平均得分）、工作量比率、填报率、审阅率（Σ分子 ÷ Σ分母）。"
                  "单位领导只看到本单位的三行。")
bar("qr_points", "得分构成：各指标得分", "indicator_points", "unit_name", ["points"], [], groupby=[named("indicator_name", "指标")],
    stack=True, fmt=".2f", sort_by="sum", asc=False,
    description="每个单位的综合得分由哪些指标得分组成（权重 × 指标曲线达成比例）。")
# the weight as text: a lacking indicator no unit of its group has anywhere has no published weight, shown as —, not N/A
table("qr_points_table", "指标明细", "indicator_points", ["unit_name", "indicator_name", "value_label", "weight_label"],
      ["effective_weight", "points"], [], order_metric="points", column_config={},
      description="所选单位每个指标的原始值、权重、有效权重和得分；单位本期没有的指标标“无数据”，其权重按比例分给其余指标。"
                  "得分 = 有效权重 × 评分曲线给出的得分率。")
# 编制余缺 as text: the leaders' row has none, which a number column would show as N/A
table("qr_sections", "科室情况", "section_metrics", ["unit_name", "section_name", "post_surplus_label"],
      ["workload_ratio", "fill_rate", "review_rate", "return_rate"], Q, order_metric="workload_ratio",
      description="所选单位的科室（内设机构），以及不属任何科室的单位领导。点击科室名称（或单位领导），下方人员表即只显示该科室。")
table("qr_people", "人员情况", "person_metrics", ["unit_name", "section_name", "staff_name", "person_grade", "responsibility_label"],
      ["person_score", "rank_in_unit", "workload_ratio", "fill_rate"], Q, order_metric="person_score",
      description="所选科室（或单位）的人员、个人得分与单位内排名，以及本人负责的督办事项和目标任务本期按期完成几件、到期几件"
                  "（括号内为提前完成）。点击姓名，下方日志表即只显示此人的日志。")
raw_table("qr_self_check", "本周自查", "weekly_self_check",
          ["week_label", "unit_name", "section_name", "staff_name", "workload_minutes", "expected_minutes",
           "workload_ratio_label", "filing_days", "filed_days", "fill_rate_label", "logs_awaiting_review", "logs_returned"],
          [], [("logs_awaiting_review", False), ("staff_id", True)], server_page=50, search=False,
          description="最近一周（周一至周日，数据截至发布日）每人的工作量、填报和日志审阅情况，待审阅多的在前。"
                      "不受考评期筛选影响；点击单位、科室或姓名即只显示其人员。")
raw_table("qr_logs", "工作日志明细", "work_log", ["work_date", "unit_name", "staff_name", "section_name", "category_name", "minutes",
                                                 "status_label", "review_state", "review_timeliness", "review_decisions",
                                                 "content"],
          [], [("work_date", False)], server_page=50,
          description="所选人员在本季度的每条工作日志：日期、类别、分钟数、状态、审阅进度、各级审阅意见和内容。")
raw_table("qr_reviews", "审阅意见", "review_decision", ["log_date", "unit_name", "staff_name", "level_label", "reviewer_name",
                                                      "decision_label", "comment", "reviewed_at"],
          [], [("work_date", False), ("level", True)], server_page=50, time_format="%Y-%m-%d %H:%M",
          description="所选人员本季度日志的每一条审阅决定：日志日期、层级、审阅人、决定（同意、退回、批注）、意见和时间。")

# 3 target warnings
banner("tw_period", "所选月份", "target_warning", "month_label", "月份",
       "月份筛选选中的月，是否已结束；未结束（或仍在填报宽限期内）的月为暂定。")
big("tw_lagging", "滞后任务（红、黑）", "target_warning", "lagging", ",d", [], "所选月份")
big("tw_red", "红牌", "target_warning", "red_cards", ",d", [], "严重滞后")
big("tw_yellow", "黄牌", "target_warning", "yellow_cards", ",d", [], "中度滞后")
big("tw_on_plan", "按计划率", "target_warning", "on_plan_rate", ".1%", [], "(绿 + 蓝 + 橙) / 任务数")
bar("tw_by_unit", "各单位五色预警", "target_warning", "unit_name", ["tasks"], [], groupby=["colour_label"], stack=True,
    fmt=",d", sort_by="sum", asc=False, description="所选月份每个单位的目标任务按五色预警的件数。")
bar("tw_by_month", "五色预警按月变化", "target_warning", "month_label", ["tasks"], [], groupby=["colour_label"], stack=True,
    fmt=",d", sort_by="month_label", asc=True, description="全部（或所选单位的）目标任务每月的颜色分布。不受月份筛选影响。")
raw_table("tw_lagging_tasks", "滞后任务清单", "target_warning",
          ["unit_name", "title", "kind_label", "colour_label", "escalation_label", "planned_progress", "reported_progress",
           "gap_points", "points"],
          [flt("warning_colour", "IN", ["RED", "BLACK"])], [("gap_points", False)],
          column_config={"planned_progress": DEC2, "reported_progress": DEC2, "gap_points": DEC2, "points": DEC2},
          description="所选月份落后于计划（红）或未启动（黑）的任务，按进度差距从大到小，附升级（警铃、黄牌、红牌）。")
# 4 data quality and operations
table("dq_lag", "采集延迟（按源系统）", "ingestion_lag", ["source_label", "last_checkpoint_at", "latest_source_commit_at"],
      ["lag_seconds"], [], search=False, description="每个源系统最近一次提交批次的时间、已采集的最新源端变更时间和两者之差。")
bar("dq_lag_bar", "采集延迟（秒）", "ingestion_lag", "source_label", ["lag_seconds"], [], fmt=",d", legend=False,
    description="采集延迟 = 最近提交时间 − 源端最新变更时间。")
bar("dq_rules_month", "被拒记录：按规则和月份", "data_quality", "month", ["rejected"], [], groupby=["rule_label"], stack=True,
    fmt=",.1~f", sort_by="month", asc=True,  # counts per month are small: ECharts picks ticks like 0.2, which ",d" shows as 0
    description="违反数据质量规则而被隔离（不计入指标）或标记（计入指标，待核实）的记录数。")
table("dq_rules_unit", "被拒记录：按规则和单位", "data_quality", ["rule_label", "disposition_label", "unit_name"], ["rejected"],
      [], order_metric="rejected", description="每条规则、每个单位的被拒记录数。规则的理由见 docs/metrics.md。")
raw_table("dq_builds", "数仓构建记录", "build_run", ["finished_at", "as_of_date", "refresh_scope_label", "rejected_rows",
                                                       "duration_seconds", "build_id"], [], [("finished_at", False)],
          time_format="%Y-%m-%d %H:%M", search=False,
          column_config={"duration_seconds": {"d3NumberFormat": ",.0f"}}, description="每次 kaoping build：何时、数据截至、刷新范围、被拒记录。")
raw_table("dq_publications", "发布记录", "publication", ["publication_id", "published_at", "as_of_date", "scheme_label",
                                                        "scheme_version_short", "build_id"], [], [("publication_id", False)],
          time_format="%Y-%m-%d %H:%M", search=False,
          description="每次 kaoping publish 到服务库：批次、时间、数据截至与评分方案。")

# as tall as the reconciliation table beside it: a subtitle at the headline's proportions would be as big as the number
big("dq_recon_differing", "不一致的源表（最近一次对账）", "reconciliation", "tables_differing", ",d", [], size=0.2)
raw_table("dq_reconciliation", "对账状态", "reconciliation", ["source_table", "status_label", "source_rows", "staging_rows",
                                                           "excluded_rows", "checksum_label", "differing_keys_label",
                                                           "reconciled_at"],
          [], [("is_ok", True), ("source_table", True)], time_format="%Y-%m-%d %H:%M", search=False,
          description="每个源表最近一次 kaoping reconcile：源端行数应等于数仓行数 + 隔离行数，且校验和相同；不一致的排在最前。")

# ---- dashboards: rows of (chart key or ("md", text, width, height), width, height)
MD_REVIEW = """### 怎样下钻
1. 在**季度排名**中点击某个**单位**名称 → 指标构成、科室、人员、日志只显示该单位；
2. 在**科室情况**中点击**科室** → 人员表只显示该科室；
3. 在**人员情况**中点击**姓名** → 日志表列出此人本季度的每条工作日志（日期、类别、分钟、状态、审阅、内容）。

再次点击可取消。也可在任一单元格或柱上右键：**钻取** → 选一个维度（如同类组、等次、科室、姓名），按它重新分组；**钻取详情** → 查看组成这个数字的记录。

### 导出与报告
- **导出排名**：季度排名右上角 **⋮** → **下载** → **导出为Excel**（或导出为CSV），表头为中文。
- **评估报告**：下方“履职评估报告（PDF）”中点击单位名称即打开其报告；[全部报告](/kaoping/reports/)。"""

MD_QUALITY = """### 关于对账
`./kaoping reconcile` 逐表比对源系统与数仓（源端行数 = 数仓行数 + 隔离行数，且校验和相同），结果记入 ops.reconciliation，
下一次 `./kaoping publish` 后显示在上表。表为空：尚未对账。"""

# 1 overview, added last so that the other charts keep their ids
table("ov_duties", "职能履行：职能任务、履行率、职能缺失与职责交叉", "duty_coverage", ["unit_name"],
      ["duty_coverage_rate", "duties_listed_sum", "duties_missing_sum", "hours_per_duty", "overlapping_duties_sum"], UNIT_PERIODS,
      order_metric="duty_coverage_rate", asc=True, column_config={}, bars=True,
      description="所选统计期每个单位一行，按职能履行率从低到高：登记的职能任务中本期有工作记录的比例、无工作记录的职能（职能缺失）、"
                  "平均每项职能的工作量，以及其他单位也登记了的职能（职责交叉）。")

# 3 target warnings, added last for the same reason
raw_table("tw_reminders", "三级提醒：警铃、黄牌、红牌", "reminders",
          ["reached_on", "unit_name", "item_kind_label", "level_label", "recipient_name", "recipient_role_label", "reason"],
          [], [("reached_on", False), ("level_rank", False)],
          description="所选月份督办事项和目标任务达到的提醒：警铃致责任人，黄牌致分管领导，红牌致主要领导；每件事项每级一次，"
                      "由 kaoping remind 推送。")

DASHBOARDS = {
    "overview": dict(title="单位履职总览", rows=[
        [("ov_period", 12, 15)],
        # a title wraps on a tile two columns wide when longer than about 低于 90 % (平均工作 / 量比率, 高于 100 / %)
        [("ov_ratio", 3, 18), ("ov_over", 3, 18), ("ov_under", 2, 18), ("ov_fill", 2, 18), ("ov_review", 2, 18)],
        [("ov_distribution", 8, 62), ("ov_band", 4, 62)],
        [("ov_ranking", 12, 70)],
        [("ov_trend", 7, 60), ("ov_category", 5, 60)],
        [("ov_headcount", 12, 55)],
        [("ov_duties", 12, 60)],
    ], filters=[
        dict(name="统计期", ds="unit_overview", col="period_label", default_first=True, multi=False, sort_asc=False,
             exclude=["ov_trend"], required=True, sort_metric="period_order",
             description="月（2025-11）、季度（2025-Q3）或年度（2025）；默认最新的已结束季度（与报告和推送相同），"
                         "未结束的期标“（暂定）”，排在最后"),
        dict(name="单位层级", ds="unit_overview", col="unit_level_label"),
        dict(name="单位类型", ds="unit_overview", col="unit_type_label"),
        dict(name="同类组", ds="unit_overview", col="peer_group_label"),
    ]),
    "quarterly-review": dict(title="季度考评", rows=[
        [("qr_ranking", 8, 80), ("md_review", 4, 80)],
        [("qr_reports", 4, 50), ("qr_compare", 8, 50)],
        [("qr_points", 7, 60), ("qr_points_table", 5, 60)],
        [("qr_sections", 6, 60), ("qr_people", 6, 60)],
        [("qr_self_check", 12, 60)],
        [("qr_logs", 12, 80)],
        [("qr_reviews", 12, 60)],
    ], filters=[
        dict(name="考评期", ds="unit_score", col="period_label", default_first=True, multi=False, sort_asc=False, required=True,
             sort_metric="period_order", exclude=["qr_self_check"],
             description="季度；默认最新的已结束季度（与报告和推送相同），未结束的季度标“（暂定）”，排在最后"),
        dict(name="同类组", ds="unit_score", col="peer_group_label",
             exclude=["qr_logs", "qr_reviews", "qr_sections", "qr_people", "qr_self_check"]),
    ], markdown={"md_review": MD_REVIEW}, css=SERVER_PAGED_CSS),
    "target-warnings": dict(title="目标任务预警", rows=[
        [("tw_period", 12, 15)],
        [("tw_lagging", 3, 18), ("tw_red", 3, 18), ("tw_yellow", 3, 18), ("tw_on_plan", 3, 18)],
        [("tw_by_unit", 6, 62), ("tw_by_month", 6, 62)],
        [("tw_lagging_tasks", 12, 80)],
        [("tw_reminders", 12, 70)],
    ], filters=[
        dict(name="月份", ds="target_warning", col="month_label", default_first=True, multi=False, sort_asc=False,
             exclude=["tw_by_month"], required=True, description="默认最新月份"),
        dict(name="单位", ds="target_warning", col="unit_name"),
    ]),
    "data-quality": dict(title="数据质量与运行", rows=[
        [("dq_lag", 8, 36), ("dq_lag_bar", 4, 36)],
        [("dq_rules_month", 7, 60), ("dq_rules_unit", 5, 60)],
        [("dq_builds", 6, 44), ("dq_publications", 6, 44)],
        [("dq_recon_differing", 3, 44), ("dq_reconciliation", 9, 44)],
        [("md_quality", 12, 16)],
    ], filters=[], markdown={"md_quality": MD_QUALITY}),
}


# ---- writing the bundle
def comments_from(path):
    """Column comments of the serving views (psql -At -F'|' output of col_description), to carry into descriptions."""
    docs = {}
    if path and pathlib.Path(path).exists():
        for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
            parts = line.split("|", 2)
            if len(parts) == 3 and parts[2]:
                docs[(parts[0], parts[1])] = parts[2]
    return docs


def dimension(name, verbose):
    """Offered for grouping and drill-by: readable labels only, not ids, codes, snapshots or free text. (A column listed
    by 钻取详情 is headed by its Chinese name only if it is a dimension: option detail makes an id one.)"""
    return not (name.endswith("_id") or name in {"period_type", "raw_snapshots", "output_snapshots", "content"}
                or verbose.endswith("代码"))


def dump(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f, allow_unicode=True, sort_keys=False, width=120)


def main():
    docs = comments_from(sys.argv[1] if len(sys.argv) > 1 else None)
    if ROOT.exists():
        shutil.rmtree(ROOT)
    dump(ROOT / "metadata.yaml", {"version": "1.0.0", "type": "assets", "timestamp": "2026-11-24T00:00:00+00:00"})
    dump(ROOT / "databases/kaoping_serving.yaml", {
        "database_name": "Kaoping serving",
        "sqlalchemy_uri": "postgresql://kaoping_reader:XXXXXXXXXX@127.0.0.1:5432/serving",
        "cache_timeout": None, "expose_in_sqllab": True, "allow_run_async": False, "allow_ctas": False,
        "allow_cvas": False, "allow_dml": False, "allow_csv_upload": False, "configuration_method": "sqlalchemy_form",
        "extra": {"allows_virtual_table_explore": True, "metadata_params": {}, "engine_params": {},
                  "schemas_allowed_for_csv_upload": []},
        "impersonate_user": False, "uuid": DB_UUID, "version": "1.0.0"})
    for key, d in DATASETS.items():
        columns = []
        for name, (verbose, typ, opt) in d["columns"].items():
            src = opt.get("src", (d["table"], name))
            desc = opt.get("desc") or docs.get(src)
            if desc and desc.startswith("Part of the key"):
                desc = None
            columns.append({"column_name": name, "verbose_name": verbose, "is_dttm": bool(opt.get("dttm")), "is_active": True,
                            "type": typ, "advanced_data_type": None,
                            "groupby": opt.get("detail", False) or dimension(name, verbose), "filterable": True,
                            "expression": opt.get("expr"), "description": desc, "python_date_format": None,
                            "datetime_format": None, "extra": {}})
        metrics = [dict(mm, metric_type=None, currency=None, warning_text=None, extra={}) for mm in d["metrics"]]
        # Named in Chinese: 钻取详情 heads its rows with the dataset's name. Every dataset is a query (a view read whole
        # where nothing is joined), as only a query's dataset may be named other than the table it reads
        sql = d["sql"].strip() if d["sql"] else f"SELECT * FROM kaoping.{d['table']}"
        dump(ROOT / f"datasets/kaoping_serving/{d['table']}.yaml", {
            "table_name": d["verbose"], "main_dttm_col": None, "description": d["description"] or d["verbose"],
            "default_endpoint": None, "offset": 0, "cache_timeout": None, "catalog": None, "schema": "kaoping",
            "sql": sql, "params": None, "template_params": None,
            "filter_select_enabled": True, "fetch_values_predicate": None, "extra": None, "normalize_columns": False,
            "always_filter_main_dttm": False, "uuid": uid("dataset", key), "metrics": metrics, "columns": columns,
            "currency_code_column": None, "folders": None, "version": "1.0.0", "database_uuid": DB_UUID})
    chart_ids = {k: i + 1 for i, k in enumerate(CHARTS)}
    for key, c in CHARTS.items():
        dump(ROOT / f"charts/{key}.yaml", {
            "slice_name": c["name"], "description": c["description"], "certified_by": None, "certification_details": None,
            "viz_type": c["viz"], "params": c["params"], "query_context": None, "cache_timeout": None,
            "uuid": uid("chart", key), "version": "1.0.0", "dataset_uuid": uid("dataset", c["ds"])})
    for slug, d in DASHBOARDS.items():
        pos = {"DASHBOARD_VERSION_KEY": "v2", "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
               "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
               "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": d["title"]}}}
        for r, row in enumerate(d["rows"]):
            rid = f"ROW-{slug}-{r}"
            pos["GRID_ID"]["children"].append(rid)
            pos[rid] = {"type": "ROW", "id": rid, "children": [], "parents": ["ROOT_ID", "GRID_ID"],
                        "meta": {"background": "BACKGROUND_TRANSPARENT"}}
            for key, width, height in row:
                if key in d.get("markdown", {}):
                    cid = f"MARKDOWN-{key}"
                    pos[cid] = {"type": "MARKDOWN", "id": cid, "children": [], "parents": ["ROOT_ID", "GRID_ID", rid],
                                "meta": {"width": width, "height": height, "code": d["markdown"][key]}}
                else:
                    cid = f"CHART-{key}"
                    pos[cid] = {"type": "CHART", "id": cid, "children": [], "parents": ["ROOT_ID", "GRID_ID", rid],
                                "meta": {"width": width, "height": height, "chartId": chart_ids[key],
                                         "sliceName": CHARTS[key]["name"], "uuid": uid("chart", key)}}
                pos[rid]["children"].append(cid)
        filters = []
        for f in d["filters"]:
            nf = {"id": "NATIVE_FILTER-" + uid("filter", slug + f["col"])[:8], "name": f["name"], "filterType": "filter_select",
                  "type": "NATIVE_FILTER", "description": f.get("description", ""),
                  "targets": [{"column": {"name": f["col"]}, "datasetUuid": uid("dataset", f["ds"])}],
                  "controlValues": {"enableEmptyFilter": f.get("required", False),
                                    "defaultToFirstItem": f.get("default_first", False),
                                    "multiSelect": f.get("multi", True), "searchAllOptions": False,
                                    "inverseSelection": False, "sortAscending": f.get("sort_asc", True),
                                    "creatable": False, **({"sortMetric": f["sort_metric"]} if f.get("sort_metric") else {})},
                  "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
                  "cascadeParentIds": [], "tabsInScope": [],
                  "scope": {"rootPath": ["ROOT_ID"], "excluded": [chart_ids[k] for k in f.get("exclude", [])]}}
            if f.get("default_first"):
                nf["requiredFirst"] = True  # charts wait for the first value instead of loading unfiltered
            if f.get("prefilter"):
                nf["adhoc_filters"] = f["prefilter"]
                nf["time_range"] = "No filter"
            filters.append(nf)
        keys = [k for row in d["rows"] for k, _, _ in row if k in CHARTS]
        dump(ROOT / f"dashboards/{slug.replace('-', '_')}.yaml", {
            "dashboard_title": d["title"], "description": None, "css": d.get("css", ""), "slug": slug, "certified_by": None,
            "certification_details": None, "published": True, "uuid": uid("dashboard", slug), "theme_uuid": None, "position": pos,
            "metadata": {"native_filter_configuration": filters, "chart_configuration": {}, "global_chart_configuration": {
                "scope": {"rootPath": ["ROOT_ID"], "excluded": []}, "chartsInScope": [chart_ids[k] for k in keys]},
                "cross_filters_enabled": True, "color_scheme": "supersetColors", "refresh_frequency": 0,
                "expanded_slices": {}, "label_colors": LABEL_COLOURS, "timed_refresh_immune_slices": [],
                "shared_label_colors": [], "map_label_colors": {}, "color_scheme_domain": []},
            "version": "1.0.0"})


if __name__ == "__main__":
    main()
