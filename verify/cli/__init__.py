"""The command line: options and configuration (settings), finding articles (discover), the run
and its exit code (main: `verify.cli.main:main`). The library never imports this package."""
