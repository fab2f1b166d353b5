from verify.cli.main import main

raise SystemExit(main())
