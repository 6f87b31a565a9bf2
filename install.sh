#!/bin/sh
# Installs leakguard and its git hooks.
#
#   ./install.sh [REPO]                      hooks in REPO (default: the repository around the
#                                            current directory)
#   ./install.sh --global                    hooks for every repository of the user
#   ./install.sh ... --uninstall             removes them and puts back what was there
#   ./install.sh ... --hooks pre-commit      only some hooks (pre-commit,pre-push by default)
#
# 1. Builds and installs the `leakguard` binary with `cargo install --locked --path .` when it
#    is not installed or is another version than this source tree (LEAKGUARD_REINSTALL=1 forces
#    a build).
# 2. Runs `leakguard install` with the same arguments: it writes the hook shims into the
#    repository's hooks directory (honouring core.hooksPath and linked worktrees), chaining any
#    hook that was there before instead of overwriting it. See `leakguard install --help`.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
die() { echo "install.sh: $*" >&2; exit 1; }

# Fail before a long build when the repository argument is wrong.
for arg in "$@"; do
  case $arg in
    -*) ;;
    *) git -C "$arg" rev-parse --git-dir >/dev/null 2>&1 || die "$arg is not inside a git repository" ;;
  esac
done

want=$(sed -n 's/^version = "\(.*\)"/\1/p' "$here/Cargo.toml" | head -n 1)
bin_dir=${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin
if command -v leakguard >/dev/null 2>&1; then
  lg=$(command -v leakguard)
else
  lg=$bin_dir/leakguard
fi
have=$("$lg" --version 2>/dev/null | sed 's/^leakguard //') || have=
if [ "$have" != "$want" ] || [ "${LEAKGUARD_REINSTALL:-0}" = 1 ]; then
  command -v cargo >/dev/null 2>&1 || die "cargo is needed to build leakguard (https://rustup.rs)"
  echo "install.sh: building leakguard $want (cargo install --locked --path $here)"
  cargo install --quiet --locked --path "$here" --force
  lg=$bin_dir/leakguard
  [ -x "$lg" ] || die "cargo install did not produce $lg"
  found=$(command -v leakguard 2>/dev/null) || found=
  if [ -z "$found" ] && [ "$bin_dir" = "${CARGO_HOME:-$HOME/.cargo}/bin" ]; then
    echo "install.sh: note: add $bin_dir to PATH so that 'leakguard' runs from a shell (the hooks find it either way)"
  elif [ -z "$found" ]; then
    echo "install.sh: note: add $bin_dir to PATH so that 'leakguard' runs from a shell (the hooks run the binary install records)"
  elif [ "$found" != "$lg" ]; then
    echo "install.sh: warning: 'leakguard' on PATH is $found, not $lg; the hooks run the one on PATH" >&2
  fi
fi
exec "$lg" install "$@"
