from govpub.cli import run

run()
