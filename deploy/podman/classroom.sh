#!/usr/bin/env bash
# One workshop host for 20-60 students (docs/classroom.md): each browser tab gets a container of
# its own, all behind one port. Run as root (rootful podman) from a checkout of the lab:
#   deploy/podman/classroom.sh [--students 30] [--listen 0.0.0.0:8080] [--url http://HOST:8080] [--dir classroom]
# The first run builds the image without a registry and writes DIR/tokens.txt (one line per
# student); hand each student their link. Ctrl-C ends every session and removes the containers.
set -euo pipefail
cd "$(dirname "$0")/../.."
students=30 listen=0.0.0.0:8080 url="" dir=classroom
while [ $# -gt 0 ]; do
  case "$1" in
    --students) students="$2"; shift 2 ;;
    --listen) listen="$2"; shift 2 ;;
    --url) url="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    *) echo "classroom.sh: unknown option $1 (--students N, --listen HOST:PORT, --url URL, --dir DIR)" >&2; exit 2 ;;
  esac
done
# runc and explicit ulimits: what VMs with hybrid cgroups need (see the file's comments).
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/deploy/podman/containers.conf}"
[ -f dist/mitm-lab.mjs ] || npm ci --no-audit --no-fund
podman image exists localhost/xmpp-mitm-lab:latest || npm run image
mkdir -p "$dir"
if [ ! -f "$dir/tokens.txt" ]; then
  (umask 077 && node dist/mitm-lab.mjs serve --make-tokens "$students" > "$dir/tokens.txt")
fi
if [ -z "$url" ]; then
  host=$(hostname -I 2>/dev/null | awk '{print $1}')
  url="http://${host:-HOST}:${listen##*:}"
fi
echo "student links (also in $dir/links.txt):"
sed "s|^\([^:]*\):\(.*\)$|\1 ${url}/?token=\2|" "$dir/tokens.txt" | tee "$dir/links.txt"
# Headroom of a few sessions over the class size for students who reload; one session per token.
exec node dist/mitm-lab.mjs serve --isolate podman --listen "$listen" --allow-non-loopback \
  --tokens "$dir/tokens.txt" --state "$dir/state" --max-sessions $((students + 5))
