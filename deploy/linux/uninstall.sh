#!/usr/bin/env bash
# Removes the cxr-agent service and program. Settings (/etc/cxr-agent) and data (/var/lib/cxr-agent: spool, state,
# results, dead letters) stay unless --purge is given; back them up first (docs/operations.md).
# Usage: sudo deploy/linux/uninstall.sh [--purge] [--root DIR]
set -euo pipefail
root="" purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --purge) purge=1; shift ;;
    --root) root="$2"; shift 2 ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "uninstall.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then echo "uninstall.sh: run as root (sudo)" >&2; exit 1; fi
if [ -z "$root" ]; then
  systemctl disable --now cxr-agent 2>/dev/null || true
fi
rm -f "$root/etc/systemd/system/cxr-agent.service"
rm -rf "$root/opt/cxr-agent" "$root/opt/cxr-agent.previous" "$root/opt/cxr-agent.new"
[ -z "$root" ] && systemctl daemon-reload
if [ "$purge" -eq 1 ]; then
  rm -rf "$root/etc/cxr-agent" "$root/var/lib/cxr-agent"
  if [ -z "$root" ] && id cxr-agent >/dev/null 2>&1; then userdel cxr-agent; fi
  echo "Removed CxrPacsAgent with its settings and data."
else
  echo "Removed CxrPacsAgent; kept $root/etc/cxr-agent and $root/var/lib/cxr-agent (use --purge to remove them)."
fi
