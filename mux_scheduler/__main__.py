from mux_scheduler.cli import main

main()
