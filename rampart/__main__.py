"""`python -m rampart` runs the CLI."""
from rampart.cli import main

main()
