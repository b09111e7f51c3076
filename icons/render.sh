#!/bin/sh
# Renders Jeton's icon set from icon.svg (needs rsvg-convert from librsvg2-bin,
# ImageMagick's convert for icon.ico (Windows), and png2icns from icnsutils for
# icon.icns (macOS)).
#
# NxN.png, one per hicolor size: Tauri's deb and rpm bundlers read each PNG listed in
# tauri.conf.json's bundle.icon and install it as
# /usr/share/icons/hicolor/<width>x<height>/apps/jeton-app.png by its real pixel size
# (the file name does not matter to them, except that a name ending in @2x goes to
# the HiDPI folder <width>x<height>@2, which is why 128x128@2x.png is not listed there).
# icon.png (512 px) and 128x128@2x.png are Tauri's conventional names, kept for the
# other platforms' bundlers.
set -eu
cd "$(dirname "$0")"
for size in 16 22 24 32 48 64 128 256 512; do
  rsvg-convert -w $size -h $size icon.svg -o ${size}x${size}.png
done
cp 512x512.png icon.png
rsvg-convert -w 256 -h 256 icon.svg -o 128x128@2x.png
tmp=$(mktemp -d)
for size in 16 24 32 48 64 256; do rsvg-convert -w $size -h $size icon.svg -o "$tmp/$size.png"; done
convert "$tmp/16.png" "$tmp/24.png" "$tmp/32.png" "$tmp/48.png" "$tmp/64.png" "$tmp/256.png" icon.ico
# icns holds 16, 32, 48, 128, 256, 512 and 1024 px images.
for size in 128 512 1024; do rsvg-convert -w $size -h $size icon.svg -o "$tmp/$size.png"; done
png2icns icon.icns "$tmp/16.png" "$tmp/32.png" "$tmp/48.png" "$tmp/128.png" "$tmp/256.png" "$tmp/512.png" "$tmp/1024.png"
rm -r "$tmp"
