"""govpub: a governed publishing pipeline for government websites.

Nothing unreviewed, unsourced or undated reaches the public site. See
DESIGN.md for the architecture and the contracts (file formats, commands,
exit codes).
"""

__version__ = "0.1.0"
