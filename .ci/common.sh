# Shared by .ci/run and .ci/publish (sourced, not run).

step() { printf '\n== %s\n' "$*"; }

# Installs valgrind with apt when it is missing (validate needs it).
ensure_valgrind() {
  if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind not found; installing it"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq valgrind
  fi
}

# Installs Debian's chromium with apt when it is missing (tests/site.rs opens
# every page of the results site in it).
ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "chromium not found; installing it"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
}
