"""The feed watcher: 12-hour reproduction deadlines and on-duty alerts.

Central feeds are polled (:mod:`.fetch`), their items get trustworthy dates
(:mod:`.dates`) and a stable identity (:mod:`.identity`); each new item opens
an obligation in SQLite (:mod:`.store`). Pure decisions (:mod:`.decide`) say
which alerts are due; the outbox (:mod:`.alerts`) delivers them once per key
to whoever is on duty (:mod:`.duty`). An obligation closes when the site
lists a reproduction of the item (:mod:`.reproductions`). :mod:`.cycle` glues
one poll-decide-deliver pass together; :mod:`.daemon` repeats it.
"""
