"""The application layer: the use cases every front end (CLI, reports, web) shares.

- :mod:`ladder.app.workspace`: open or create a workspace, import a file into it.
- :mod:`ladder.app.results`: compute or fetch the results of an organisation and period
  (stored results, docs/architecture.md).
- :mod:`ladder.app.reports`: build the reports of the organisations in a workspace or folder.
- :mod:`ladder.app.place`: the place views (priority neighbourhoods, home-area matching).
- :mod:`ladder.app.formats`: the documented JSON and CSV forms of results and views.

Front ends parse arguments and print; everything else is here or below. Submodules import
their heavy libraries (Polars, the engines) themselves, so ``import ladder.app`` is free.
"""
