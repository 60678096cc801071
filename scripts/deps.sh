#!/usr/bin/env bash
# Installs what duban needs to build, run and test, from Debian's packages.
# Idempotent: asks apt only for what is missing.  Usage: scripts/deps.sh
set -euo pipefail

packages=(
  gcc clang make cmake pkg-config
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
  libssl-dev libxlsxwriter-dev libzip-dev libexpat1-dev libcmocka-dev
  sqlite3 postgresql python3 python3-pytest python3-requests python3-openpyxl
  python3-docx python3-ephem libfaketime
  chromium fonts-noto-cjk
)
# `scripts/deps.sh fuzz` (make fuzz) adds libFuzzer's runtime, which
# Debian's clang only recommends
[[ "${1:-}" == fuzz ]] && packages+=(libclang-rt-dev)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# the web front end's build (Vite needs Node 20.19+): a node that is already
# on the machine, often newer than Debian's and with its own npm, is kept
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
