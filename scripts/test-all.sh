#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: system packages, npm dependencies, build, lint, tests.
# Installs with apt-get (as root, or through sudo) only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(softflowd nfdump tshark tcpdump prometheus chromium)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
# kubectl (its kustomize reads the rendered manifests): Debian's kubernetes-client, unless one is installed already
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
npm run build
npm run typecheck
npm run lint
npm test
