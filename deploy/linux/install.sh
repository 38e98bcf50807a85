#!/usr/bin/env bash
# Installs (or upgrades) CxrPacsAgent as the systemd service `cxr-agent`:
#   - the published agent in /opt/cxr-agent (replaced as a whole; the previous version is kept as /opt/cxr-agent.previous),
#   - the settings in /etc/cxr-agent/appsettings.json (created from the example once, never overwritten),
#   - all state in /var/lib/cxr-agent, owned by the system user cxr-agent,
#   - the unit in /etc/systemd/system/cxr-agent.service, enabled and (re)started.
# Usage: sudo deploy/linux/install.sh [--from PUBLISHED_DIR] [--no-start] [--root DIR]
#   --from   a `dotnet publish` output folder; without it the agent is published from this checkout first.
#   --root   install under DIR instead of / (for staging and tests: no user, no systemctl).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
from="" root="" start=1
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from="$2"; shift 2 ;;
    --root) root="$2"; shift 2 ;;
    --no-start) start=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then echo "install.sh: run as root (sudo)" >&2; exit 1; fi

if [ -z "$from" ]; then
  from="$(mktemp -d)"
  trap 'rm -rf "$from"' EXIT
  echo "Publishing the agent from $repo ..."
  dotnet publish "$repo/src/CxrPacsAgent.Worker" -c Release -o "$from" --nologo -v quiet
fi
[ -x "$from/cxr-agent" ] || { echo "install.sh: $from has no cxr-agent executable (a dotnet publish output folder is needed)" >&2; exit 2; }

opt="$root/opt/cxr-agent" etc="$root/etc/cxr-agent" var="$root/var/lib/cxr-agent" units="$root/etc/systemd/system"
if [ -z "$root" ] && ! id cxr-agent >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/cxr-agent --no-create-home --shell /usr/sbin/nologin --comment "CxrPacsAgent" cxr-agent
fi
if [ -z "$root" ] && systemctl is-active --quiet cxr-agent 2>/dev/null; then systemctl stop cxr-agent; fi

mkdir -p "$(dirname "$opt")" "$etc" "$var" "$units"
rm -rf "$opt.new" && cp -a "$from" "$opt.new"
if [ -d "$opt" ]; then rm -rf "$opt.previous" && mv "$opt" "$opt.previous"; fi
mv "$opt.new" "$opt"
chmod -R u=rwX,go=rX "$opt"
if [ ! -f "$etc/appsettings.json" ]; then
  install -m 0640 "$repo/config/appsettings.Production.example.json" "$etc/appsettings.json"
  echo "Wrote $etc/appsettings.json from the example: set Destinations and the AE titles, then restart."
fi
install -m 0644 "$here/cxr-agent.service" "$units/cxr-agent.service"
if [ -z "$root" ]; then
  chown root:cxr-agent "$etc" "$etc/appsettings.json" && chmod 0750 "$etc"
  chown cxr-agent:cxr-agent "$var" && chmod 0750 "$var"
  systemctl daemon-reload
  systemctl enable cxr-agent >/dev/null
  if [ "$start" -eq 1 ]; then systemctl restart cxr-agent && systemctl --no-pager status cxr-agent | head -5; fi
fi
echo "Installed CxrPacsAgent in $opt (settings $etc/appsettings.json, data $var)."
