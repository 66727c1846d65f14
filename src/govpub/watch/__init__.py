"""The feed watcher: 12-hour reproduction deadlines and on-duty alerts.

Central sources are polled (:mod:`.sources`: feeds through :mod:`.fetch` and
:mod:`.items`, HTML list pages through :mod:`.listpage`), decoded without
mojibake (:mod:`.text`); their items get trustworthy dates (:mod:`.dates`)
and a stable identity (:mod:`.identity`); each new item opens an obligation
in the state (:mod:`.statebase`: SQLite in :mod:`.store`, or PostgreSQL in
:mod:`.pgstore` for two machines under the lease of :mod:`.lease`; chosen
by :mod:`.state`). Pure decisions (:mod:`.decide`) say which alerts are due;
the outbox (:mod:`.alerts`) delivers them once per key to whoever is on
duty (:mod:`.duty`), in the words of :mod:`.messages`. ``govpub reproduce``
drafts the original's full text (:mod:`.original`, :mod:`.htmlmd`,
:mod:`.draft`); an obligation closes when the site lists a reproduction
(:mod:`.reproductions`) whose live page carries the original's text
(:mod:`.fidelity`). :mod:`.cycle` glues one poll-decide-deliver pass
together; :mod:`.service` and :mod:`.daemon` repeat it; :mod:`.board` is
the status board.
"""
