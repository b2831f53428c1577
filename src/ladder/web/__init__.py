"""The web service (a front end beside the CLI): server-rendered NHS.UK pages and a JSON API.

It holds no indicator logic: every page and endpoint calls :mod:`ladder.app`. Start here:
:func:`ladder.web.app.create_app`. See docs/web.md.
"""
