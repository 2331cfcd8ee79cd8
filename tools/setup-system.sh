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
  echo "setup-system: missing $missing; install them as root (see tools/setup-system.sh)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -qq --no-install-recommends -o DPkg::Lock::Timeout=300)

# bookworm-backports, from the same mirror and keyring as apt's own bookworm source (deb822
# `.sources` stanzas or one-line `deb` entries), unless apt has it already. No mirror is guessed:
# where apt has no bookworm source to copy, say what to add and leave Mesa alone.
backports_file=/etc/apt/sources.list.d/optnn-bookworm-backports.sources
bookworm_source() {
  # deb822: the first stanza whose Suites include exactly "bookworm": "URI<TAB>Signed-By".
  awk 'function flush() { if (suite && uri != "") { print uri "\t" key; found = 1; exit } suite = 0; uri = ""; key = "" }
    /^[[:space:]]*$/ { flush(); next }
    /^URIs:/ { uri = $2 } /^Signed-By:/ { key = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") suite = 1 }
    END { if (!found) flush() }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | grep . && return 0
  # One-line form: deb [options] URI bookworm components.
  sed -n -E 's/^deb[[:space:]]+(\[([^]]*)\][[:space:]]+)?([^[:space:]]+)[[:space:]]+bookworm[[:space:]].*/\3\t\2/p' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -E 's/\t.*signed-by=([^[:space:]]+).*/\t\1/; s/\t[^/].*$/\t/' | head -n1 | grep .
}
if [ "$need_mesa" -eq 1 ] && [ "$codename" = bookworm ] \
  && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  if source_line="$(bookworm_source)"; then
    uri="${source_line%%$'\t'*}"
    keyring="${source_line#*$'\t'}"
    {
      printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\n' "$uri"
      [ -n "$keyring" ] && printf 'Signed-By: %s\n' "$keyring"
    } >"$backports_file"
    echo "setup-system: added bookworm-backports from $uri ($backports_file)" >&2
  else
    echo "setup-system: apt has no bookworm source to derive bookworm-backports from; add one (Suites: bookworm-backports, your Debian mirror) under /etc/apt/sources.list.d/ for Mesa >= $MESA_MIN_MAJOR" >&2
    need_mesa=0
    [ ${#need[@]} -eq 0 ] && exit 0
  fi
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
