#!/usr/bin/env bash
# Installs a software Vulkan driver (Mesa's lavapipe) so WebGPU can run on machines
# without a GPU, such as CI runners. Debian 12 (bookworm) ships Mesa 22, which is too
# old for Dawn, so the driver comes from bookworm-backports (Mesa 24 or newer).
#
# Idempotent: does nothing when a Mesa >= 24 lavapipe driver is already installed.
# Runs as root, or through sudo when not root. Prints what it does.
set -euo pipefail

readonly backports_list=/etc/apt/sources.list.d/bookworm-backports.list
readonly backports_line='deb http://deb.debian.org/debian bookworm-backports main'
readonly min_mesa_major=24

log() { printf 'setup-webgpu-driver: %s\n' "$*"; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "need root (or sudo) to run: $*" >&2
    exit 1
  fi
}

# The installed Mesa lavapipe version (e.g. 24.2.8-1~bpo12+1), or empty when none is installed.
installed_mesa_version() {
  local icd
  icd=$(compgen -G '/usr/share/vulkan/icd.d/lvp_icd*.json' | head -n 1 || true)
  [[ -n $icd ]] || return 0
  dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true
}

mesa_is_recent_enough() {
  local version=$1 major
  major=${version%%.*}
  major=${major#*:} # drop a Debian epoch such as "1:"
  [[ $major =~ ^[0-9]+$ ]] && ((major >= min_mesa_major))
}

version=$(installed_mesa_version)
if [[ -n $version ]] && mesa_is_recent_enough "$version"; then
  log "lavapipe from Mesa $version is already installed; nothing to do"
  exit 0
fi
if [[ -n $version ]]; then
  log "found lavapipe from Mesa $version; need Mesa >= $min_mesa_major"
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "apt-get not found: install Mesa >= $min_mesa_major's Vulkan drivers (lavapipe) yourself" >&2
  exit 1
fi

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
if [[ $codename != bookworm ]]; then
  log "this script targets Debian 12 (bookworm); found '${codename:-unknown}'" >&2
  exit 1
fi

if grep -rqsF "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  log "bookworm-backports is already an apt source"
else
  log "adding $backports_list"
  echo "$backports_line" | as_root tee "$backports_list" >/dev/null
fi

log "apt-get update"
as_root apt-get update -qq
log "installing mesa-vulkan-drivers and libvulkan1 from bookworm-backports"
as_root env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null

version=$(installed_mesa_version)
if [[ -z $version ]] || ! mesa_is_recent_enough "$version"; then
  log "installation finished but no Mesa >= $min_mesa_major lavapipe driver was found" >&2
  exit 1
fi
log "installed lavapipe from Mesa $version"
