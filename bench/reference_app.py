"""The bare reference for every UI benchmark: one slider, one metric, one small Altair line chart, no model."""
import altair as alt
import pandas as pd
import streamlit as st

rate = st.slider("growth (%)", min_value=-20.0, max_value=60.0, value=7.5, step=0.1, key="rate")
years = list(range(2020, 2026))
values = [975 * (1 + rate / 100) ** (y - 2020) for y in years]
st.metric("2025", f"{values[-1]:,.1f}")
st.altair_chart(alt.Chart(pd.DataFrame({"year": years, "value": values})).mark_line().encode(x="year:O", y="value:Q"),
                width="stretch")
