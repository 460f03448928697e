#!/usr/bin/env bash
# Copies Leaflet and Chart.js from Debian's packages (libjs-leaflet, libjs-chart.js) into the
# server's resources, with their copyright files, so the console needs no CDN and no internet.
# Run it after a Debian update of those packages and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! dpkg -s libjs-leaflet libjs-chart.js >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq libjs-leaflet libjs-chart.js
fi
out=Sources/ResponseServer/Resources/vendor
rm -rf "$out" && mkdir -p "$out/leaflet/images" "$out/chart.js"
cp /usr/share/javascript/leaflet/leaflet.min.js /usr/share/javascript/leaflet/leaflet.css "$out/leaflet/"
cp /usr/share/javascript/leaflet/images/*.png "$out/leaflet/images/"
cp /usr/share/doc/libjs-leaflet/copyright "$out/leaflet/COPYRIGHT"
cp /usr/share/javascript/chart.js/chart.min.js "$out/chart.js/"
cp /usr/share/doc/libjs-chart.js/copyright "$out/chart.js/COPYRIGHT"
{
  echo "# Third-party browser libraries, copied from Debian's packages by scripts/vendor-js.sh"
  echo
  dpkg-query -W -f='- ${Package} ${Version}\n' libjs-leaflet libjs-chart.js
} > "$out/VERSIONS.md"
cat "$out/VERSIONS.md"
