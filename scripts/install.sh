#!/bin/sh
# Installs a prebuilt atlas-doctor release: downloads the archive for this machine,
# verifies its SHA-256, and puts the binary, shell completions and man page under a
# prefix (default ~/.local). Published with each release as atlas-doctor-installer.sh:
#
#   curl -LsSf https://github.com/atlas-doctor/atlas-doctor/releases/latest/download/atlas-doctor-installer.sh | sh
#
# Options (or the variables in brackets):
#   --prefix DIR     install into DIR/bin, DIR/share/...      [ATLAS_DOCTOR_INSTALL_DIR] (~/.local)
#   --version X.Y.Z  that release instead of the default      [ATLAS_DOCTOR_VERSION]
#   --from URL       a directory (https://, http://, file://) holding the release's
#                    archives, instead of the GitHub release  [ATLAS_DOCTOR_DOWNLOAD_URL]
# Needs: curl or wget, tar, gzip, sha256sum or shasum. POSIX sh: works under dash and busybox.
set -eu

# scripts/release pins this to the release's version in the published copy.
default_version=latest
# The same repository as Cargo.toml's [package] repository (a test checks they agree).
repository=https://github.com/atlas-doctor/atlas-doctor
bin=atlas-doctor

say() { printf 'atlas-doctor-installer: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

prefix=${ATLAS_DOCTOR_INSTALL_DIR:-${HOME:-}/.local}
version=${ATLAS_DOCTOR_VERSION:-$default_version}
from=${ATLAS_DOCTOR_DOWNLOAD_URL:-}
while [ $# -gt 0 ]; do
    case $1 in
        --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
        --version) version=${2:?--version needs a version}; shift 2 ;;
        --from) from=${2:?--from needs a URL}; shift 2 ;;
        -h | --help) sed -n '2,14p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (try --help)" ;;
    esac
done
[ -n "$prefix" ] || die "no install prefix: set HOME or pass --prefix DIR"
version=${version#v}

# The Rust target triple this machine runs, as the release archives are named.
case "$(uname -s)" in
    Linux) os=unknown-linux-gnu ;;
    Darwin) os=apple-darwin ;;
    MINGW* | MSYS* | CYGWIN*) die "on Windows use the PowerShell installer: irm $repository/releases/latest/download/atlas-doctor-installer.ps1 | iex" ;;
    *) die "no prebuilt binary for $(uname -s); install from source: cargo install --locked --git $repository atlas-doctor" ;;
esac
case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no prebuilt binary for $(uname -m); install from source: cargo install --locked --git $repository atlas-doctor" ;;
esac
target=$arch-$os
archive=$bin-$target.tar.gz

if [ -z "$from" ]; then
    if [ "$version" = latest ]; then
        from=$repository/releases/latest/download
    else
        from=$repository/releases/download/v$version
    fi
fi
from=${from%/}

fetch() { # URL FILE
    if command -v curl >/dev/null 2>&1; then
        curl --proto '=https,http,file' --fail --silent --show-error --location --retry 3 --output "$2" "$1"
    elif command -v wget >/dev/null 2>&1; then
        case $1 in
            file://*) cp "${1#file://}" "$2" ;;
            *) wget --quiet --output-document="$2" "$1" ;;
        esac
    else
        die "neither curl nor wget is installed"
    fi
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    else
        die "neither sha256sum nor shasum is installed: cannot verify the download"
    fi
}

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t atlas-doctor)
trap 'rm -rf "$tmp"' EXIT INT TERM

say "downloading $from/$archive"
fetch "$from/$archive" "$tmp/$archive" ||
    die "could not download $archive (is there a $target build of version $version?); or install from source: cargo install --locked --git $repository atlas-doctor"
fetch "$from/$archive.sha256" "$tmp/$archive.sha256" || die "could not download $archive.sha256"
expected=$(cut -d' ' -f1 <"$tmp/$archive.sha256")
actual=$(sha256_of "$tmp/$archive")
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
    die "checksum mismatch for $archive (expected ${expected:-nothing}, got $actual): not installing"
fi

tar -xzf "$tmp/$archive" -C "$tmp"
src=$tmp/$bin-$target
[ -x "$src/$bin" ] || die "$archive holds no $bin-$target/$bin"
# A binary that cannot start here (too old a glibc, wrong architecture) is not installed.
"$src/$bin" --version >/dev/null 2>&1 || die "the downloaded $bin does not run on this machine"

install_file() { # SRC DEST MODE
    mkdir -p "$(dirname "$2")"
    # Write next to the target, then rename: a running atlas-doctor is never half-written.
    cp "$1" "$2.tmp.$$" && chmod "$3" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}
install_file "$src/$bin" "$prefix/bin/$bin" 755
install_file "$src/completions/$bin.bash" "$prefix/share/bash-completion/completions/$bin" 644
install_file "$src/completions/_$bin" "$prefix/share/zsh/site-functions/_$bin" 644
install_file "$src/completions/$bin.fish" "$prefix/share/fish/vendor_completions.d/$bin.fish" 644
install_file "$src/man/$bin.1" "$prefix/share/man/man1/$bin.1" 644

say "installed $("$prefix/bin/$bin" --version) to $prefix/bin/$bin"
case ":${PATH:-}:" in
    *":$prefix/bin:"*) ;;
    *) say "add $prefix/bin to your PATH, e.g.: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
