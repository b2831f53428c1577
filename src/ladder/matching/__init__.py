"""Careers and job matching (docs/matching.md): residents matched, with reasons, to the
vacancies and entry routes of NHS organisations; and whom the matching reaches.

- :mod:`ladder.matching.person`: what a resident tells us (the person file);
- :mod:`ladder.matching.openings`: vacancies and routes as openings;
- :mod:`ladder.matching.rules`: the hard rules, each with its reason in words;
- :mod:`ladder.matching.embed`: the packaged static embedding model (no download);
- :mod:`ladder.matching.rank`: the index, the ranking and the reasons of each match;
- :mod:`ladder.matching.reach`: whom the tool reaches, by neighbourhood and deprivation;
- :mod:`ladder.matching.fairness`: whether matches differ by group (suppressed).
"""
