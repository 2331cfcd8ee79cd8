#!/usr/bin/env bash
# The system packages the self-tests use, from Debian: chromium (the HTML reports' browser tests),
# bubblewrap (the sandbox around submissions), zip/unzip (the Gradescope package) and Mesa's Vulkan drivers (lavapipe, a CPU Vulkan
# device, so the webgpu backend's tests run without a GPU). Idempotent, and a few milliseconds when
# everything is there; run by `npm test` before the tests (the `pretest` script). Without root or
# apt-get it says what to install and leaves the decision to the tests: the browser tests then fail
# with instructions, grading runs with Node's layers only, the webgpu tests skip saying why.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# Dawn refuses Mesa 22 (bookworm's): it lacks Vulkan features Dawn requires. Mesa 25 from
# bookworm-backports works; later Debian releases have a recent enough Mesa in their main suite.
MESA_MIN_MAJOR=24
mesa_ok() {
  local version
  version="$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null)" || return 1
  [ -n "$version" ] && [ "${version%%.*}" -ge "$MESA_MIN_MAJOR" ] 2>/dev/null
}
codename="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")"

need=()
[ -x /usr/bin/chromium ] || need+=(chromium fonts-dejavu-core)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v zip >/dev/null 2>&1 || need+=(zip)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
need_mesa=0
command -v dpkg-query >/dev/null 2>&1 && ! mesa_ok && need_mesa=1
if [ ${#need[@]} -eq 0 ] && [ "$need_mesa" -eq 0 ]; then
  exit 0
fi
missing="${need[*]}"
[ "$need_mesa" -eq 1 ] && missing="${missing:+$missing }mesa-vulkan-drivers (Mesa >= $MESA_MIN_MAJOR)"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: missing $missing; install them as root (see scripts/setup-system.sh)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -qq --no-install-recommends -o DPkg::Lock::Timeout=300)

# bookworm-backports, from the same mirror and keyring as the main suite, unless apt has it already.
backports_file=/etc/apt/sources.list.d/optnn-bookworm-backports.sources
if [ "$need_mesa" -eq 1 ] && [ "$codename" = bookworm ] \
  && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  uri="$(grep -hs -m1 '^URIs:.*/debian/\?$' /etc/apt/sources.list.d/*.sources | awk '{print $2; exit}')"
  keyring="$(grep -hs -m1 '^Signed-By:' /etc/apt/sources.list.d/debian.sources | awk '{print $2; exit}')"
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' \
    "${uri:-http://deb.debian.org/debian}" "${keyring:-/usr/share/keyrings/debian-archive-keyring.gpg}" \
    >"$backports_file"
  echo "setup-system: added bookworm-backports ($backports_file)" >&2
fi

echo "setup-system: installing $missing" >&2
apt-get update -qq -o DPkg::Lock::Timeout=300 >/dev/null
if [ ${#need[@]} -gt 0 ]; then
  apt-get install "${apt_opts[@]}" "${need[@]}" >/dev/null
fi
if [ "$need_mesa" -eq 1 ]; then
  target=()
  [ "$codename" = bookworm ] && target=(-t bookworm-backports)
  apt-get install "${apt_opts[@]}" "${target[@]}" mesa-vulkan-drivers libvulkan1 >/dev/null \
    || echo "setup-system: could not install Mesa's Vulkan drivers; the webgpu tests will skip" >&2
  mesa_ok || echo "setup-system: mesa-vulkan-drivers is older than $MESA_MIN_MAJOR; the webgpu tests will skip" >&2
fi
if [ -x /usr/bin/chromium ]; then bash "$here/install-browser.sh" >/dev/null; fi
echo "setup-system: done" >&2
