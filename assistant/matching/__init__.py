"""Matching patient French with spaCy: folding, stems, spelling repair, SMS spellings, and a
small pattern language compiled to spaCy Matcher patterns. Used by the red-flag detector
(safety/) and the topic entity extractor (topics/)."""
