"""Streamlit entry point: ``streamlit run app.py`` (or ``make run``). All logic is in the package."""

from wivgraph.app.main import main

main()
