# Environment for running netc's tests. Source it: `. scripts/env.sh`.
#
# Vulkan drivers and Dawn expect XDG_RUNTIME_DIR to be a private, writable directory;
# containers and CI runners often leave it unset or point it at a directory that is missing.
if [[ -z ${XDG_RUNTIME_DIR:-} || ! -d $XDG_RUNTIME_DIR || ! -w $XDG_RUNTIME_DIR ]]; then
  XDG_RUNTIME_DIR="/tmp/netc-xdg-$(id -u)"
  mkdir -p "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
fi
export XDG_RUNTIME_DIR
