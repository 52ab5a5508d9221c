#!/usr/bin/env bash
# Builds the book and looks at every page in headless Chromium at a laptop width (1280 px) and a
# phone width (390 px): a PNG of each whole page, and a measure of whether the page scrolls
# sideways (the document wider than the window). Look at the PNGs; the script fails when a page
# scrolls sideways or a screenshot could not be taken.
#
#   scripts/book-screenshots.sh [OUT]     (default OUT: target/book-screenshots)
#
# OUT/book is the book, OUT/png/<lang>-<page>-<width>.png the pictures, OUT/widths.txt one line
# per page and width: "<lang>/<page> <width> scrollWidth=<px> scrollHeight=<px>". A phone-width
# picture is 500 px wide (Chromium's narrowest window): the page is its left 390 px, on white;
# the grey strip to its right is outside the page.
# Needs chromium (Debian: apt-get install -y chromium fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-target/book-screenshots}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "book-screenshots: no chromium found (apt-get install -y chromium fonts-noto-cjk)" >&2
  exit 2
fi
rm -rf "$out"
mkdir -p "$out/png"
cargo run --quiet -p book -- --out "$out/book" >/dev/null
book=$(cd "$out/book" && pwd)

chrome() {
  # No sandbox: headless as root, on a folder of our own static files. File access between
  # files: the wrapper reads the framed page's size.
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-dev-shm-usage --allow-file-access-from-files "$@" 2>/dev/null
}

# Headless Chromium will not make a window narrower than 500 px: each page is laid out in an
# iframe of the width wanted, inside a wrapper page beside it (so its links and pictures
# resolve), which writes the framed document's width and height into the DOM Chromium dumps.
wrapper() {
  local page=$1 width=$2 height=$3
  local wrap
  wrap="$(dirname "$page")/.wrap-$(basename "$page" .html)-$width.html"
  cat >"$wrap" <<HTML
<!DOCTYPE html><html><body style="margin:0;background:#888">
<iframe id="f" src="$(basename "$page")" style="width:${width}px;height:${height}px;border:0;display:block;background:#fff"></iframe>
<script>
const f = document.getElementById('f');
f.addEventListener('load', () => {
  const d = f.contentDocument.documentElement;
  document.body.setAttribute('data-measure', 'scrollWidth=' + d.scrollWidth + ' scrollHeight=' + d.scrollHeight);
});
</script></body></html>
HTML
  echo "$wrap"
}

failed=0
for lang in en zh; do
  for page in "$book/$lang"/*.html; do
    name=$(basename "$page" .html)
    for width in 1280 390; do
      wrap=$(wrapper "$page" "$width" 900)
      m=$(chrome --window-size="$((width > 500 ? width : 500)),900" --virtual-time-budget=3000 \
        --dump-dom "file://$wrap" | grep -o 'data-measure="[^"]*"' | sed 's/data-measure="\(.*\)"/\1/')
      sw=$(sed -n 's/.*scrollWidth=\([0-9]*\).*/\1/p' <<<"$m")
      sh=$(sed -n 's/.*scrollHeight=\([0-9]*\).*/\1/p' <<<"$m")
      echo "$lang/$name $width $m" >>"$out/widths.txt"
      if [ -z "$sw" ] || [ "$sw" -gt "$width" ]; then
        echo "book-screenshots: $lang/$name at $width px scrolls sideways ($m)" >&2
        failed=1
      fi
      height=$((${sh:-2000} > 16000 ? 16000 : ${sh:-2000}))
      wrap=$(wrapper "$page" "$width" "$height")
      png="$out/png/$lang-$name-$width.png"
      chrome --window-size="$((width > 500 ? width : 500)),$height" --virtual-time-budget=3000 \
        --screenshot="$png" "file://$wrap" >/dev/null
      rm -f "$wrap"
      [ -s "$png" ] || { echo "book-screenshots: no screenshot of $lang/$name" >&2; failed=1; }
    done
  done
done
echo "$(ls "$out/png" | wc -l) screenshots in $out/png; widths in $out/widths.txt"
exit $failed
