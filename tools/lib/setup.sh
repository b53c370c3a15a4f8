# Sourced by tools/grade and tools/check: the packages the course needs, installed when
# missing, and the build trees, configured when missing. Nothing here downloads anything but
# the distribution's packages.

course_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# What building, testing and grading the course needs (Debian 12 and Ubuntu 24.04 names).
course_packages=(cmake ninja-build g++ pkg-config libgtest-dev libgmock-dev libfmt-dev libuv1-dev
                 libtomlplusplus-dev libcli11-dev nlohmann-json3-dev)
# What the maintainers' checks need on top: a second compiler and its sanitizer runtimes,
# clang-format, gdb (the deadline's backtraces are tested), xmllint and jq (the reports are),
# stress-ng (tools/mutants runs the wrong solutions beside a busy process too), ccache (it
# rebuilds what a mutant changed back from the cache), zip, unzip and python3 (the Gradescope
# bundle is zipped and unzipped, tools/grade-class is Python), tmux (tools/tests/watch_test drives
# tools/watch in a real terminal).
course_check_packages=(clang libclang-rt-dev clang-format gdb libxml2-utils jq stress-ng ccache
                       zip unzip python3 tmux)

# Whether a file of the course (a path as git lists it) is the maintainers' alone: the reference
# solutions, the mutants (patches of them), the benchmarks, CI and the maintainers' tools and their
# tests. Neither the students' copy (tools/export-student) nor Gradescope's (tools/gradescope-bundle)
# holds them.
course_maintainers_only() {
  case $1 in
    solutions/* | tests/*/mutants/* | bench/* | .ci/* | tools/tests/* | tools/check | tools/mutants | \
      tools/measure-trust | tools/export-student | tools/gradescope-bundle | tools/bench | \
      tools/lib/bench.py) return 0 ;;
    *) return 1 ;;
  esac
}

# A step, in bold on a terminal.
course_say() {
  if [ -t 2 ]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi
}

# The packages among "$@" that are not installed.
course_missing_packages() {
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$' ||
      echo "$package"
  done
}

# Installs whichever of "$@" is missing: through apt as root, or with sudo; otherwise prints
# the command to run and exits with 1.
course_ensure_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "note: not a Debian or Ubuntu system; make sure these are installed: $*" >&2
    return 0
  fi
  local missing
  mapfile -t missing < <(course_missing_packages "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
      sudo=(sudo)
    else
      echo "The course needs packages that are not installed: ${missing[*]}" >&2
      echo "Install them (as root), then run this again:" >&2
      echo "  apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  course_say "Installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet: fetch them when the first try finds nothing.
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" ||
    { "${sudo[@]}" apt-get update && "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; }
}

# The build tree of a preset in CMakePresets.json.
course_build_dir() {
  case $1 in
    student) echo "$course_root/build" ;;
    *) echo "$course_root/build-$1" ;;
  esac
}

# Configures the preset's build tree unless it is configured already (a build re-configures
# by itself when the CMake files change).
course_configure() {
  local preset=$1 dir
  dir=$(course_build_dir "$preset")
  if [ ! -f "$dir/course-manifest.toml" ] || [ ! -f "$dir/build.ninja" ]; then
    course_say "Configuring $(basename "$dir")/ (preset $preset)"
    cmake --preset "$preset" -S "$course_root" >/dev/null
  fi
}

# Builds the targets "$@" in the preset's tree; prints the build's output only if it fails.
course_build() {
  local preset=$1 dir log
  shift
  dir=$(course_build_dir "$preset")
  log=$(mktemp)
  if ! cmake --build "$dir" --target "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}
