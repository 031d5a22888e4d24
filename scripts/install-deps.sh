#!/usr/bin/env bash
# Installs exactly the Debian 12 packages aai needs to build, test and run its offline demo.
# Run as root (or through sudo). Safe to run again: apt-get skips what is already installed.
set -euo pipefail

packages=(
  # Toolchain
  g++ cmake ninja-build pkg-config git
  # Host and plugins
  libboost-dev libboost-program-options-dev libboost-system-dev
  libcpprest-dev nlohmann-json3-dev libinih-dev libpoco-dev
  # Reading plugin manifests from ELF sections without loading the plugin (libelf.so.1 is loaded
  # only by `aai plugins list` and `aai plugins install`, and at start-up under a plugin policy)
  libelf-dev
  # SHA-256 of plugin files for `aai plugins install/verify` and the plugin policy (GNU Nettle;
  # libnettle.so.8 is loaded only when a file is hashed)
  nettle-dev
  # The Secret Service keyring (libaai-secrets.so), and a private keyring for its test
  libsecret-1-dev gnome-keyring dbus-daemon dbus-bin libsecret-tools
  # The local emulator: audio decoding, resampling and recognition, with the en-us model and
  # public-domain LibriVox test recordings
  libsndfile1-dev libsoxr-dev libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us
  pocketsphinx-testdata
  # The emulator's HTTPS and WSS (`--tls-cert`) and the tests' certificate authority (OpenSSL)
  libssl-dev
  # `aai stream` from the microphone (PortAudio, loaded only when the microphone is used)
  portaudio19-dev
  # Tests and benchmarks
  googletest libgtest-dev libgmock-dev libbenchmark-dev hyperfine jq time
  # The sign-in tests follow the login URL with curl, standing in for a browser
  curl
  # The completion tests load `aai completion` scripts into each shell, and bash's through the
  # bash-completion loader
  bash-completion zsh fish
)

if [ "$(id -u)" -ne 0 ]; then
  exec sudo "$0" "$@"
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
