from plan.cli import main

raise SystemExit(main())
