#!/bin/sh
# Renders Jeton's icon set from icon.svg (needs rsvg-convert and ImageMagick).
set -eu
cd "$(dirname "$0")"
rsvg-convert -w 512 -h 512 icon.svg -o icon.png
rsvg-convert -w 32 -h 32 icon.svg -o 32x32.png
rsvg-convert -w 128 -h 128 icon.svg -o 128x128.png
rsvg-convert -w 256 -h 256 icon.svg -o 128x128@2x.png
tmp=$(mktemp -d)
for size in 16 24 32 48 64 256; do rsvg-convert -w $size -h $size icon.svg -o "$tmp/$size.png"; done
convert "$tmp/16.png" "$tmp/24.png" "$tmp/32.png" "$tmp/48.png" "$tmp/64.png" "$tmp/256.png" icon.ico
rm -r "$tmp"
