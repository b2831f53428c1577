from ladder.cli.app import main

main()
