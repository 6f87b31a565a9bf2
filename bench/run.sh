#!/bin/sh
# The whole benchmark suite in one command; see bench/run.py for what it measures.
exec python3 "$(dirname "$0")/run.py" "$@"
