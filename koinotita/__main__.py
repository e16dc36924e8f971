from koinotita.cli import main

main()
