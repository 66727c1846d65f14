"""政府信息公开 (government information disclosure): index numbers, the guide and the catalog.

- :mod:`.registry`: the index-number registry (``disclosure/index-numbers.csv``),
  append-only, checked by rule GP109.
- :mod:`.assign`: ``govpub disclosure assign`` gives numbers to the pages without one.
- :mod:`.indexbox`: the index box shown at the top of every policy and notice.
- :mod:`.pages`: the generated section pages (the section index and the catalog).

See docs/disclosure.md.
"""
