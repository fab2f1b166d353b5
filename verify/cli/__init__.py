"""The command line: options and configuration (settings), finding articles (discover), the run
and its exit code (main). The library never imports this package."""
