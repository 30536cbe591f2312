"""Gate by Gate's user interface: the only package that imports streamlit, plotly and pandas.

Pages (``pages/``) call these modules; these call ``lstm_core``. Shared state and the page registry live in
``state`` and ``layout``; cached core calls in ``models``; figures in ``heatmap`` (and ``diagram``).
"""
