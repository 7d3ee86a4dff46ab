"""The Streamlit explorer (serve stage for people): pages over the library functions."""
