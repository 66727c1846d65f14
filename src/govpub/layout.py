"""The folders of a site repository (DESIGN.md §3), named once.

A module of constants only: the command line reads ``site_config/site.yml``
for the language before anything heavy is imported.
"""

CONFIG_DIR = "site_config"
CONTENT_DIR = "content"
REVIEW_DIR = "review"
DISCLOSURE_DIR = "disclosure"
