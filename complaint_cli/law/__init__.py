"""The law: production calendar, statutory terms, penalties, regions and the legal analysis of a case.

Every letter, ``status``, ``guide``, ``batch`` and ``calc`` draw their legal conclusions from here
(:func:`complaint_cli.law.analysis.analyze`); the modules that write letters only turn them into text.
"""
