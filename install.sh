#!/bin/sh
# Installs leakguard and its git hooks into a repository.
#
#   ./install.sh [REPO_DIR]     REPO_DIR defaults to the repository around the current directory
#
# 1. Builds and installs the `leakguard` binary with cargo (skipped when the same version is
#    already on PATH; set LEAKGUARD_REINSTALL=1 to force).
# 2. Copies the hook shims into the repository's hooks directory (honouring core.hooksPath and
#    linked worktrees, via `git rev-parse --git-path hooks`). A hook that is not leakguard's is
#    never overwritten: the script stops and says how to chain it.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=${1:-.}

die() { echo "install.sh: $*" >&2; exit 1; }

command -v git >/dev/null 2>&1 || die "git is not installed"
git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 || die "$repo is not inside a git repository"

want=$(sed -n 's/^version = "\(.*\)"/\1/p' "$here/Cargo.toml" | head -n 1)
have=$(leakguard --version 2>/dev/null | sed 's/^leakguard //') || have=
if [ "$have" != "$want" ] || [ "${LEAKGUARD_REINSTALL:-0}" = 1 ]; then
  command -v cargo >/dev/null 2>&1 || die "cargo is needed to build leakguard (https://rustup.rs)"
  echo "install.sh: building leakguard $want (cargo install --locked --path $here)"
  cargo install --quiet --locked --path "$here" --force
fi

hooks=$(git -C "$repo" rev-parse --path-format=absolute --git-path hooks)
mkdir -p "$hooks"
for hook in pre-commit; do
  target=$hooks/$hook
  if [ -e "$target" ] && ! grep -q "leakguard" "$target"; then
    die "$target exists and is not leakguard's; move it aside (e.g. to $hook.local) and rerun, then call it from the new hook"
  fi
  cp "$here/hooks/$hook" "$target"
  chmod +x "$target"
  echo "install.sh: installed $target"
done
command -v leakguard >/dev/null 2>&1 || echo "install.sh: note: add ~/.cargo/bin to PATH so 'leakguard' runs from a shell (the hooks find it either way)"
