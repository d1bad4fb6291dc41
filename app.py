"""Home page (placeholder until the app issue lands)."""
import streamlit as st

from model import load_plan_data, presets, run

st.set_page_config(page_title="石峰园区规划情景 Shifeng park plan", layout="wide")
data = load_plan_data()
r = run(data, presets(data)["plan-targets"])
st.title("石峰区“十四五”园区发展规划 · 情景分析")
st.metric("2025 园区总产值（亿元）", f"{r.projection.output_2025_total:,.1f}")
