#!/usr/bin/env bash
# Installs, with apt-get, whatever of rtcascade's build and script dependencies is missing on a
# Debian/Ubuntu machine. Does nothing when all are present. Uses sudo when not run as root.
#   --mpi    also Open MPI (scripts/test.sh --mpi)
#   --fuzz   also clang with its libFuzzer and sanitizer runtimes and OpenMP (scripts/test.sh --fuzz)
set -euo pipefail

packages=(build-essential cmake pkg-config libgsl-dev libhdf5-dev libyaml-dev zlib1g-dev
          python3 python3-numpy python3-h5py python3-pandas python3-matplotlib python3-scipy
          python3-networkx python3-yaml python3-xarray)
if [ "${1:-}" = "--mpi" ]; then
  packages+=(openmpi-bin libopenmpi-dev)
fi
if [ "${1:-}" = "--fuzz" ]; then
  # Debian 12: clang is clang-14, whose libFuzzer and sanitizer runtimes are libclang-rt-14-dev
  # (the libclang-rt-dev package); clang's OpenMP is libomp-dev. Ubuntu keeps the runtimes in
  # libclang-common-*-dev, which clang already brings.
  packages+=(clang libomp-dev)
  if apt-cache show libclang-rt-dev >/dev/null 2>&1; then
    packages+=(libclang-rt-dev)
  fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all dependencies present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
