"""`python -m hotline` is the `hotline` command."""
from hotline.cli.main import main

main()
