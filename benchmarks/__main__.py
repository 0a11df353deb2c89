"""``python -m benchmarks``: run the benchmarks, print the table, update results.json."""

import sys

from benchmarks.harness import main

if __name__ == "__main__":
    sys.exit(main())
