"""Gate by Gate's user interface: the only package that imports streamlit, plotly and pandas.

Pages (``views/``) call these modules; these call ``lstm_core``. Shared state and the page registry live in
``state`` and ``layout``; cached core calls in ``models``; figures in ``heatmap``, ``diagram`` (SVG) and
the other ``*_view`` modules, drawn by ``live_chart`` (plotly) and ``live_svg``.
"""
