from beian.cli import main

main()
