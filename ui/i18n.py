"""Every user-visible string, in 中文 (default) and English."""
from __future__ import annotations

import threading

import streamlit as st

LANGS = ("zh", "en")

T: dict[str, tuple[str, str]] = {
    # app & navigation
    "app_title": ("石峰区“十四五”园区发展规划 · 情景分析", "Shifeng Park Plan 2021–2025 · Scenario Explorer"),
    "app_short": ("石峰园区规划情景", "Shifeng park scenarios"),
    "nav_overview": ("总览", "Overview"),
    "nav_output": ("产值情景", "Output scenarios"),
    "nav_phasing": ("投资时序", "Investment phasing"),
    "nav_compare": ("情景对比", "Compare"),
    "nav_sources": ("数据与来源", "Data & sources"),
    "nav_analysis": ("深入分析", "Analysis"),
    "analysis_intro": ("不确定性、目标反推、敏感性、用地、投资带动产值与规划执行情况；每项都基于当前情景。", "Uncertainty, goal seek, sensitivity, land, investment → output and plan vs reality, all for the current scenario."),
    "tab_uncertainty": ("不确定性", "Uncertainty"),
    "tab_goal": ("目标反推", "Goal seek"),
    "tab_sensitivity": ("敏感性", "Sensitivity"),
    "tab_land": ("用地", "Land"),
    "tab_invest": ("投资→产值", "Investment → output"),
    "tab_reality": ("规划与现实", "Plan vs reality"),
    "sd_of": ("{seg} 增速波动（标准差，%）", "{seg} growth uncertainty (s.d., %)"),
    "correlation": ("板块间相关系数", "Correlation between segments"),
    "seed": ("随机种子", "Random seed"),
    "n_paths": ("模拟路径数", "Simulated paths"),
    "prob_total": ("园区总产值2025年达标概率", "Probability park total meets its 2025 target"),
    "prob_rail": ("轨道交通2025年达标概率", "Probability rail transit meets its 2025 target"),
    "prob_help": ("{n} 条蒙特卡洛路径中2025年不低于目标的比例；同一情景与随机种子结果完全相同。", "Share of {n} Monte Carlo paths at or above the target in 2025; the same scenario and seed give identical numbers."),
    "median": ("中位数", "Median"),
    "uncertainty_note": ("每年增速 = 情景增速 + 正态波动（标准差见上，板块间按相关系数相关，各年独立）；默认波动为假设值：轨道交通3%，其他10%。", "Each year's rate = the scenario rate + a normal shock (s.d. above, correlated across segments, independent across years); default uncertainties are assumptions: rail 3 %, others 10 %."),
    "target": ("目标", "Target"),
    "needed_rate": ("所需年均增速", "Constant rate needed"),
    "status": ("结论", "Result"),
    "seek_met": ("其他板块已足够，该板块不限", "Met whatever this segment does"),
    "seek_reached": ("可行", "Feasible"),
    "seek_too_high": ("不可行：即使年均增长500%也达不到", "Infeasible: even 500 %/yr falls short"),
    "seek_no_effect": ("不可行：该板块不影响此目标", "Infeasible: this segment does not enter this target"),
    "first_year_total": ("总产值首次达标年份", "First year park total meets target"),
    "first_year_rail": ("轨道交通首次达标年份", "First year rail meets target"),
    "baseline_needed_total": ("按现增速达标所需2020年总产值", "2020 park total needed at current growth"),
    "baseline_needed_rail": ("按现增速达标所需2020年轨道产值", "2020 rail output needed at current growth"),
    "goal_note": ("所需增速：其他板块按当前情景，求该板块恒定年均增速使2025年恰好达标（二分法，不做静默截断）。", "Rate needed: the constant rate of one segment that lands exactly on the 2025 target with the others as in the scenario (bisection; never a silent clamp)."),
    "growth_word": ("增速", "growth"),
    "low_case": ("下调", "Low"),
    "high_case": ("上调", "High"),
    "assumption": ("假设", "Assumption"),
    "swing": ("波动幅度", "Swing"),
    "per_mu_growth": ("亩均产值年增长（%，假设）", "Annual growth of output per mu (%, assumed)"),
    "extra_output": ("2020→2025新增产值", "Extra output 2020→2025"),
    "land_needed": ("所需新增用地", "Land needed"),
    "land_available": ("可用产业用地", "Land available"),
    "land_available_help": ("田心片区600余亩 + 绿心调规片区约1500亩（第一章一、（二））", "Tianxin 600+ mu + green-heart area ~1,500 mu (1.1.2)"),
    "per_mu_needed": ("仅用现有可用地所需亩均产值", "Output per mu needed on available land"),
    "per_mu_help": ("2020年亩均产值1238.56万元/亩；按假设增速2025年为 {v} 万元/亩", "1238.56万元/亩 in 2020; {v} 万元/亩 in 2025 at the assumed growth"),
    "land_ok": ("可用地足以承载新增产值", "Available land can carry the extra output"),
    "land_short": ("用地缺口约 {v} 亩", "Land short by about {v} mu"),
    "io_ratio": ("投资产出比（每亿元投资达产后年产值，亿元）", "Output per 亿元 invested, at full run (亿元/yr)"),
    "io_help": ("假设值；例如附件1第26项投资5亿元、达产年产值5亿元（比值1.0）。", "An assumption; e.g. Annex 1 #26 invests 5亿元 for 5亿元 a year (ratio 1.0)."),
    "ramp_first": ("竣工后第一年达产比例", "Share reached in the first year after completion"),
    "invest_output_2025": ("项目带动2025年产值", "Output from projects in 2025"),
    "invest_output_axis": ("项目带动产值（亿元）", "Output from projects (亿元)"),
    "invest_output": ("项目带动产值", "Output from projects"),
    "gap_to_total": ("距总产值目标缺口", "Gap to the park-total target"),
    "invest_note": ("计入附件1中工业、重大创新平台和（新型）基础设施项目；竣工年为最后一笔分摊投资的年份，延期与年度上限会推后产出。", "Counts Annex 1 industrial, innovation-platform and (new) infrastructure projects; completion is the year of the last phased money, so delays and the ceiling move output later."),
    "actual": ("实际值", "Actual"),
    "projected": ("情景预测", "Projected"),
    "realisation": ("实现率", "Realisation"),
    "track_record_target": ("按历史实现率折算的目标", "Track-record target"),
    "city_series": ("株洲市轨道交通集群（市级，口径不同）", "Zhuzhou city rail cluster (city level, other measure)"),
    "show_public": ("图中显示市级公开数据", "Show city-level public figures on the chart"),
    "public_help": ("市级轨道交通集群规模，口径与区级产值不同，仅供参照。", "City-level rail-cluster figures: a different scope and measure, for context only."),
    "track_record": ("按历史实现率折算目标（示意）", "Discount targets by the track record (illustrative)"),
    "track_help": ("2015年规划2020年轨道交通产值2000亿元，实际975亿元，实现率{r}%；按该比例折算规划增量：基数 + 比例 ×（目标 − 基数）。", "The 2015 plan targeted 2,000亿元 for 2020; the outcome was 975亿元 ({r} %). The ratio scales the planned increase: base + ratio × (target − base)."),
    "track_values": ("按历史实现率折算：2025年园区总产值 {total} 亿元，轨道交通 {rail} 亿元（示意，非规划目标）。", "Track-record discount: park total {total} 亿元 and rail {rail} 亿元 in 2025 (illustrative, not plan targets)."),
    "actuals_help": ("填入2021–2025年实际产值（亿元），与预测比较；随情景保存在链接与假设文件中。", "Enter actual 2021–2025 output (亿元) to compare with the projection; kept in the link and the assumptions file."),
    "scope_city": ("市级", "City"),
    "scope_district": ("区级", "District"),
    "language": ("语言 Language", "Language 语言"),
    "pages": ("页面", "Pages"),
    # scenario bar
    "scenario": ("当前情景", "Current scenario"),
    "scenario_name": ("情景名称", "Scenario name"),
    "preset": ("预设情景", "Preset"),
    "tools": ("预设与上传", "Presets & upload"),
    "reset": ("重置为预设", "Reset to preset"),
    "undo": ("撤销上一步", "Undo last change"),
    "nothing_to_undo": ("没有可撤销的修改", "Nothing to undo"),
    "upload": ("上传假设文件（CSV）", "Upload assumptions (CSV)"),
    "upload_help": ("由本应用或 python -m model export 导出的 assumptions.csv", "An assumptions.csv exported by this app or by python -m model export"),
    "upload_ok": ("已载入情景：{name}", "Loaded scenario: {name}"),
    "upload_bad": ("无法载入 {file}，当前情景保持不变：", "Could not load {file}; the current scenario is unchanged:"),
    "share": ("分享链接", "Share link"),
    "share_help": ("地址栏中的链接包含全部假设；复制后发给他人即可打开同一情景。", "The address bar holds every assumption; copy it to share this exact scenario."),
    "url_notice": ("链接中有参数无法识别或超出范围，已忽略：", "Some link parameters were not understood or out of range and were ignored:"),
    "reason_unknown": ("未知参数", "unknown parameter"),
    "reason_malformed": ("格式错误", "malformed"),
    "reason_out_of_range": ("超出范围", "out of range"),
    "downloads": ("下载情景数据（CSV，Excel 可直接打开）", "Download scenario data (CSV, opens in Excel)"),
    "dl_assumptions": ("假设 assumptions.csv", "Assumptions assumptions.csv"),
    "dl_projection": ("产值预测 projection.csv", "Projection projection.csv"),
    "dl_phasing": ("项目投资时序 phasing.csv", "Project phasing phasing.csv"),
    "dl_roads": ("道路投资时序 roads.csv", "Road phasing roads.csv"),
    "dl_summary": ("结果摘要 summary.csv", "Summary summary.csv"),
    "error_generic": ("出现意外问题，本部分无法显示。您的情景设置未受影响。", "Something unexpected happened and this part cannot be shown. Your scenario settings are unaffected."),
    "data_error": ("数据文件有误，无法加载：", "The data files are invalid and could not be loaded:"),
    "scenario_error": ("该设置无效，已保留原情景：", "That setting is invalid; the scenario was kept:"),
    # units & labels
    "yi": ("亿元", "100 million yuan (亿元)"),
    "unit_yi": ("亿元", "亿元"),
    "year": ("年份", "Year"),
    "value_yi": ("产值（亿元）", "Output (亿元)"),
    "invest_yi": ("投资（亿元）", "Investment (亿元)"),
    "cum_invest_yi": ("累计投资（亿元）", "Cumulative investment (亿元)"),
    "segment": ("板块", "Segment"),
    "series": ("系列", "Series"),
    "seg_rail_transit": ("轨道交通", "Rail transit"),
    "seg_nonrail": ("非轨道交通", "Non-rail"),
    "seg_power_semiconductor": ("功率半导体", "Power semiconductors"),
    "seg_digital_intelligence": ("数智产业", "Digital intelligence"),
    "seg_modern_services": ("现代服务业", "Modern services"),
    "seg_other": ("其他产业", "Other industries"),
    "seg_total": ("园区总产值", "Park total"),
    "ref_target": ("2025年目标", "2025 target"),
    "ref_trend": ("历史趋势（年均5.1%）", "Historical trend (5.1 %/yr)"),
    "ref_plan": ("规划目标路径", "Plan-targets path"),
    "kind_baseline": ("2020年基数", "2020 baseline"),
    "kind_projected": ("预测", "Projected"),
    "kind": ("类型", "Kind"),
    # overview
    "overview_intro": ("规划基数、2025年目标与当前情景的对照。拖动“产值情景”页的滑块，所有页面同步更新。", "The plan's baselines and 2025 targets against the current scenario. Move the sliders on Output scenarios; every page follows."),
    "m_total": ("园区总产值", "Park total output"),
    "m_rail": ("轨道交通产业", "Rail-transit industry"),
    "baseline_2020": ("2020年基数", "2020 baseline"),
    "target_2025": ("2025年目标", "2025 target"),
    "scenario_2025": ("情景2025年", "Scenario 2025"),
    "gap_2025": ("与目标差距", "Gap to target"),
    "gap_help": ("箭头处数字为情景值减去2025年目标（负数表示缺口）。", "The delta is the scenario value minus the 2025 target (negative = shortfall)."),
    "required_growth": ("所需年均增长", "Required annual growth"),
    "req_rail": ("轨道交通所需增速", "Rail: growth needed"),
    "req_nonrail": ("非轨道所需增速", "Non-rail: growth needed"),
    "nonrail_chart": ("非轨道交通各板块（亿元）", "Non-rail segments (亿元)"),
    "nonrail_needed": ("非轨道所需路径", "Non-rail path needed"),
    "assumed_growth": ("情景年均增长", "Scenario annual growth"),
    "on_track": ("达标", "On track"),
    "off_track": ("未达标", "Off track"),
    "badge_on": ("达标：{what}", "On track: {what}"),
    "badge_off": ("未达标：{what}，差 {gap} 亿元", "Off track: {what}, short by {gap} 亿元"),
    "reached_in": ("首次达到目标年份：{year}", "First year target reached: {year}"),
    "not_reached": ("预测期内未达到", "not reached within the horizon"),
    "trajectory": ("产值轨迹（亿元）", "Output trajectory (亿元)"),
    "other_targets": ("其他2025年目标", "Other 2025 targets"),
    "source": ("来源", "Source"),
    "derived_note": ("派生值：{formula}", "Derived: {formula}"),
    "clause": ("规划条款 {sec}：{quote}", "Plan clause {sec}: {quote}"),
    "indicator": ("指标", "Indicator"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    # output page
    "output_intro": ("调整各板块年均增长率，查看到2025年（可延至2035年）的产值轨迹。", "Set each segment's annual growth and see output to 2025 (extendable to 2035)."),
    "growth_of": ("{seg} 年均增长（%）", "{seg} annual growth (%)"),
    "set_required": ("设为所需增速（{rate}%）", "Set to required rate ({rate}%)"),
    "required_na": ("轨道交通已足以达到总目标", "Rail alone already reaches the park target"),
    "baseline_total_label": ("2020年园区总产值（亿元，派生值，可修改）", "2020 park total output (亿元, derived, editable)"),
    "baseline_total_help": ("规划未直接给出。默认 975 ÷ 0.96 = 1015.625：96% 为轨道交通占全区规模工业总产值的比重（第一章一、（二））。", "Not stated in the plan. Default 975 ÷ 0.96 = 1015.625, where 96 % is rail's share of the district's above-scale industrial output (1.1.2)."),
    "horizon": ("预测至", "Project to"),
    "split": ("将非轨道交通拆分为规划所列产业", "Split non-rail output into the plan's named industries"),
    "split_help": ("规划未给出各产业的2020年产值，比重为假设值，可修改。", "The plan gives no 2020 output per industry: the shares are assumptions you can edit."),
    "share_of": ("{seg} 占非轨道产值比重（%，假设）", "{seg} share of non-rail output (%, assumed)"),
    "shares_sum": ("比重合计须为100%，当前为 {sum}%，未应用。", "Shares must sum to 100 %; they sum to {sum} % and were not applied."),
    "overrides": ("逐年增速调整（可选）", "Per-year growth overrides (optional)"),
    "overrides_help": ("在某一年使用不同增速（%），留空表示沿用年均增速。", "Use a different growth rate (%) in a given year; leave blank to use the annual rate."),
    "yearly_table": ("逐年产值表（亿元）", "Yearly output table (亿元)"),
    "cagr": ("年均增长（2020→{year}）", "CAGR (2020→{year})"),
    # phasing page
    "phasing_intro": ("按建设年份分摊附件1重大项目与附件2道路的投资，可设延期、超支、剔除与年度上限。", "Spread Annex 1 projects and Annex 2 roads over their build years, with delays, overruns, exclusions and an annual ceiling."),
    "basis": ("测算口径", "Basis"),
    "basis_fyp": ("十四五计划投资（2021–2025年建设年份内）", "14th-FYP investment over build years in 2021–2025"),
    "basis_total": ("总投资（全部建设年份）", "Total investment over all build years"),
    "profile": ("年度分布", "Profile"),
    "profile_even": ("均匀", "Even"),
    "profile_front": ("前高后低", "Front-loaded"),
    "profile_back": ("前低后高", "Back-loaded"),
    "profile_s-curve": ("S形曲线", "S-curve"),
    "delay_all": ("全部项目延期（年）", "Delay, all projects (years)"),
    "delay_area": ("{area} 延期（年）", "Delay, {area} (years)"),
    "delay_category": ("{cat} 类延期（年）", "Delay, {cat} (years)"),
    "delay_projects": ("单个项目延期", "Delay by project"),
    "delay_project_pick": ("选择延期项目", "Projects to delay"),
    "delay_project_years": ("所选项目延期（年）", "Delay of the selected projects (years)"),
    "overrun": ("成本超支（%）", "Cost overrun (%)"),
    "excluded": ("剔除项目", "Excluded projects"),
    "ceiling_on": ("设年度投资上限", "Apply an annual ceiling"),
    "ceiling": ("年度投资上限（亿元/年）", "Annual ceiling (亿元/yr)"),
    "stack_by": ("堆叠维度", "Stack by"),
    "by_area": ("片区", "Area"),
    "by_category": ("类别", "Category"),
    "by_owner": ("建设主体", "Owner"),
    "annual_invest": ("项目年度投资（亿元）", "Annual project investment (亿元)"),
    "scurve": ("累计投资：当前设置 vs 规划原样", "Cumulative investment: current settings vs as planned"),
    "as_planned": ("规划原样", "As planned"),
    "current": ("当前设置", "Current settings"),
    "gantt": ("项目建设期（甘特图）", "Project build periods (Gantt)"),
    "roads_chart": ("道路投资：按资金来源（亿元）", "Road investment by funding source (亿元)"),
    "district_burden": ("区财政负担：2021–2025年合计 {v} 亿元，占道路投资 {p}%", "District-finance burden: {v} 亿元 in 2021–2025, {p}% of road investment"),
    "funding": ("资金来源", "Funding source"),
    "ab_title": ("两种时序设置对比（A 为当前情景，B 可单独调整）", "Two phasing settings side by side (A = current scenario, B adjustable)"),
    "setting_a": ("设置 A", "Setting A"),
    "setting_b": ("设置 B", "Setting B"),
    "diff_b_a": ("差额 B − A（亿元）", "Difference B − A (亿元)"),
    "placed_default": ("以下项目的十四五投资不在建设年份内，默认计入{year}年：{ids}", "14th-FYP money outside build years, placed in {year} by default: {ids}"),
    "fyp_total": ("2021–2025年项目投资", "Project investment 2021–2025"),
    "all_years_total": ("全部年份项目投资", "Project investment, all years"),
    "peak_year": ("投资高峰年", "Peak investment year"),
    "road_total": ("道路投资合计", "Road investment, total"),
    "project": ("项目", "Project"),
    "start": ("开工", "Start"),
    "end": ("竣工", "End"),
    "area": ("片区", "Area"),
    "category": ("类别", "Category"),
    "owner": ("建设主体", "Owner"),
    "area_田心片区": ("田心片区", "Tianxin area"),
    "area_清水塘片区": ("清水塘片区", "Qingshuitang area"),
    "cat_科技创新": ("科技创新", "Science & innovation"),
    "cat_产业发展": ("产业发展", "Industrial development"),
    "fund_区财政": ("区财政", "District finance (区财政)"),
    "fund_企业自筹": ("企业自筹", "Company funds (企业自筹)"),
    "fund_待定": ("待定", "To be determined (待定)"),
    # compare page
    "compare_intro": ("保存当前情景，或选择预设情景，进行2–4个情景的对比。", "Save the current scenario, or pick presets, and compare 2–4 scenarios."),
    "save_as": ("保存当前情景为", "Save current scenario as"),
    "save": ("保存", "Save"),
    "saved_ok": ("已保存：{name}", "Saved: {name}"),
    "name_empty": ("请输入名称", "Please enter a name"),
    "compare_to": ("对比至年份（所有情景）", "Compare up to year (all scenarios)"),
    "pick": ("选择要对比的情景（2–4个）", "Scenarios to compare (2–4)"),
    "pick_more": ("请至少选择2个情景。", "Pick at least 2 scenarios."),
    "pick_fewer": ("最多对比4个情景，仅显示前4个。", "At most 4 scenarios are compared; showing the first 4."),
    "compare_traj": ("产值轨迹对比：园区总产值（亿元）", "Trajectories: park total output (亿元)"),
    "compare_phasing": ("年度项目投资对比（亿元）", "Annual project investment (亿元)"),
    "compare_table": ("假设与结果对比（差额相对第一个情景）", "Assumptions and results (difference against the first)"),
    "preset_label": ("预设：{name}", "Preset: {name}"),
    "saved_label": ("已保存：{name}", "Saved: {name}"),
    "current_label": ("当前：{name}", "Current: {name}"),
    "metric": ("指标", "Metric"),
    "diff": ("差额", "Difference"),
    # sources page
    "sources_intro": ("规划原文中的全部数据表，每个数字附规划章节与原文。", "Every table from the plan, each number with its section and quote."),
    "tab_indicators": ("指标", "Indicators"),
    "tab_projects": ("重大项目（附件1）", "Projects (Annex 1)"),
    "tab_roads": ("道路（附件2）", "Roads (Annex 2)"),
    "tab_sections": ("规划章节", "Plan sections"),
    "tab_audit": ("数据质量检查", "Data-quality audit"),
    "filter_text": ("搜索（名称、原文、编号）", "Search (name, quote, id)"),
    "filter_kind": ("类型", "Kind"),
    "filter_area": ("片区", "Area"),
    "download_table": ("下载 {file}", "Download {file}"),
    "audit_intro": ("以下为规划原文中合法但值得注意的情况（警告与提示），不影响计算。", "What is legal but worth noting in the plan itself (warnings and notes); it does not stop any calculation."),
    "sev_warning": ("警告", "Warning"),
    "sev_info": ("提示", "Note"),
    "rows_shown": ("显示 {n} / {total} 行", "Showing {n} of {total} rows"),
    "kind_target": ("目标", "target"),
    "kind_derived": ("派生", "derived"),
    "kind_baseline_s": ("基数", "baseline"),
    "all": ("全部", "All"),
    "choose": ("全部（可筛选）", "All (filter)"),
    # summary metrics (summary.csv ids)
    "sm_output_2025_rail": ("2025年轨道交通产值", "2025 rail-transit output"),
    "sm_output_2025_total": ("2025年园区总产值", "2025 park total output"),
    "sm_gap_2025_rail": ("轨道交通与目标差距", "Rail gap to target"),
    "sm_gap_2025_total": ("总产值与目标差距", "Park-total gap to target"),
    "sm_cagr_rail": ("轨道交通年均增长", "Rail CAGR 2020–2025"),
    "sm_cagr_total": ("总产值年均增长", "Park-total CAGR 2020–2025"),
    "sm_required_cagr_nonrail": ("非轨道所需年均增长", "Non-rail growth needed"),
    "sm_project_investment_fyp": ("2021–2025年项目投资", "Project investment 2021–2025"),
    "sm_road_investment_total": ("道路投资合计", "Road investment, total"),
    "sm_peak_investment_year": ("投资高峰年", "Peak investment year"),
    # column headers of the data tables
    "col_indicator_id": ("编号", "ID"), "col_name_zh": ("名称", "Name (中文)"), "col_name_en": ("英文名称", "Name"),
    "col_year": ("年份", "Year"), "col_comparator": ("限定", "Qualifier"), "col_value": ("数值", "Value"),
    "col_unit": ("单位", "Unit"), "col_kind": ("类型", "Kind"), "col_section_id": ("章节", "Section"),
    "col_quote": ("规划原文", "Plan quote"), "col_period": ("期间", "Period"), "col_project_id": ("编号", "ID"),
    "col_annex_no": ("附件序号", "Annex no."), "col_category": ("类别", "Category"),
    "col_subcategory": ("子类", "Sub-category"), "col_nature": ("建设性质", "Nature"), "col_area": ("建设地点", "Area"),
    "col_owner": ("项目建设主体", "Owner"), "col_description": ("主要建设内容和规模", "Description"),
    "col_land_mu": ("用地（亩）", "Land (亩)"), "col_start_year": ("开工年份", "Start"),
    "col_end_year": ("竣工年份", "End"), "col_total_investment_yi": ("总投资（亿元）", "Total investment (亿元)"),
    "col_fyp_investment_yi": ("十四五计划投资（亿元）", "14th-FYP investment (亿元)"), "col_notes": ("备注", "Notes"),
    "col_road_id": ("编号", "ID"), "col_road_class": ("道路级别", "Road class"),
    "col_extent": ("起止点", "Extent"), "col_build_type": ("建设类型", "Build type"),
    "col_length_m": ("道路里程（m）", "Length (m)"), "col_width_m": ("宽度（m）", "Width (m)"),
    "col_width_min_m": ("最小宽度（m）", "Min width (m)"), "col_width_max_m": ("最大宽度（m）", "Max width (m)"),
    "col_investment_wan": ("投资额（万元）", "Investment (万元)"), "col_funding_source": ("资金来源", "Funding source"),
    "col_builder": ("建设单位", "Builder"),
    "col_scope": ("范围", "Scope"), "col_measure": ("口径", "Measure"), "col_source": ("来源", "Source"),
    "col_note": ("说明", "Note"), "col_figure_id": ("编号", "ID"), "col_title_zh": ("标题", "Title (中文)"), "col_title_en": ("英文标题", "Title"),
}


_run = threading.local()  # the language of the script run on this thread (set once per run by the page frame)


def fix_lang_for_run() -> None:
    """Read the language once per run: t() is called hundreds of times and session_state access is not free."""
    v = st.session_state.get("lang", "zh")
    _run.lang = v if v in LANGS else "zh"


def lang() -> str:
    v = getattr(_run, "lang", None)
    if v is None:
        v = st.session_state.get("lang", "zh")
    return v if v in LANGS else "zh"


def t(key: str, **kw) -> str:
    """The text for ``key`` in the current language (the key itself if unknown: never an exception)."""
    pair = T.get(key)
    text = key if pair is None else pair[0 if lang() == "zh" else 1]
    if kw:
        try:
            return text.format(**kw)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def seg(name: str) -> str:
    return t(f"seg_{name}")


def area(name: str) -> str:
    return t(f"area_{name}") if f"area_{name}" in T else name


def category(name: str) -> str:
    return t(f"cat_{name}") if f"cat_{name}" in T else name


def funding(name: str) -> str:
    return t(f"fund_{name}") if f"fund_{name}" in T else name


def name_of(row) -> str:
    """A project or road name: Chinese, with English alongside in English mode."""
    return row["name_zh"] if lang() == "zh" else f"{row['name_zh']} · {row['name_en']}"
