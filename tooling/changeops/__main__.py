from changeops.cli import main

raise SystemExit(main())
