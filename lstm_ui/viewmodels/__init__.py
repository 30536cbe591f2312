"""One view-model per page: what a page shows, computed from the core's results (traces, examples,
measured results) and turned into drawings, equations and text. The pages in ``views/`` only read the
controls, call these, and show what they return."""
