# Shared by scripts/serve, scripts/test and scripts/bench: installs the Debian packages that are missing.
# Sourced, not run. Needs root (or sudo) only when something is missing.

ensure_packages() {
    local missing=()
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    echo "Installing missing system packages: ${missing[*]}" >&2
    local run=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || { echo "Need root to install: ${missing[*]}" >&2; exit 1; }
        run=(sudo)
    fi
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
}

# What building Velkommen needs: the C libraries behind the CSQLite, CCMark, CPostgres and CCurl targets.
BUILD_PACKAGES=(pkg-config libsqlite3-dev libcmark-dev libpq-dev libcurl4-openssl-dev)
