from onpath.cli import main

raise SystemExit(main())
