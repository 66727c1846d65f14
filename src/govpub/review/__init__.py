"""Confidentiality review: sign-off records (``records``) and, on pull requests,
the git-history checks that enforce four eyes (``history``, ``signatures``)."""
