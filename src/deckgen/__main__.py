"""`python -m deckgen`: the command line."""
from .cli import main

main()
