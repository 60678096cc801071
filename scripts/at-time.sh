#!/usr/bin/env bash
# Runs a command with the clock set to a moment in China Standard Time, for
# the tests that must pass whatever the date (tests/README.md): libfaketime
# from Debian, preloaded into the command and everything it starts, with
# the clock running on from that moment.
#   scripts/at-time.sh "2027-01-04 09:00" CMD [ARGS...]
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: scripts/at-time.sh 'YYYY-MM-DD HH:MM' COMMAND [ARGS...]" >&2
  exit 2
fi
moment=$1
shift
lib=""
for candidate in /usr/lib/*/faketime/libfaketimeMT.so.1 \
                 /usr/lib/faketime/libfaketimeMT.so.1; do
  [[ -f $candidate ]] && lib=$candidate && break
done
if [[ -z $lib ]]; then
  echo "at-time: libfaketime is not installed (scripts/deps.sh installs it)" >&2
  exit 2
fi
# the moment is China Standard Time; libfaketime reads it in the local zone
export TZ=Asia/Shanghai
export FAKETIME="@$moment:00"
export FAKETIME_DONT_RESET=1
export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
# ASan wants to be the first library loaded; libfaketime is, and that is fine
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
exec "$@"
