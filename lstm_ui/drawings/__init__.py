"""The drawings: pure functions from numbers to SVG strings, built on the primitives of ``svg`` and the
colour scales of ``colours`` (``assets/colour_scales.json``). None of them imports streamlit: a drawing
is a string, shown by ``lstm_ui.components.live_svg``."""
