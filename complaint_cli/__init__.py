"""complaint_cli: consumer claims (претензии) under Russian consumer-protection law.

The package is a library first; :mod:`complaint_cli.cli` is a thin command-line adapter over it.
"""

__version__ = "0.1.0"
