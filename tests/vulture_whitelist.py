# ruff: noqa: B018, F821
"""Names vulture (the dead-code check in scripts/test.sh) cannot see being used: each is called by a
framework or read by name, not by our code."""

_.__getattr__  # lstm_core/__init__.py: a module's lazy attributes (PEP 562)
_.pytestmark  # pytest reads it from every test module
_.handle_starttag  # html.parser.HTMLParser calls these (tests/apptest_stories_page.py)
_.handle_startendtag
_.handle_endtag
_.handle_data
_.compress_type  # zipfile.ZipInfo's field, set for numpy's npz writer (tests/golden/npz_writer.py)
_.pre_input  # lstm_core/trace.py: read by name, getattr(trace, f"pre_{gate}") (equations.py, cell diagram)
_.pre_candidate
