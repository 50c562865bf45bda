#!/bin/sh
# Rebuilds the committed stylesheet and copies GOV.UK Frontend's script and images
# into slihub/web/static/vendor/govuk-frontend. Needs Node.js; run `npm ci` first.
set -eu
cd "$(dirname "$0")"
out=../slihub/web/static/vendor/govuk-frontend
dist=node_modules/govuk-frontend/dist/govuk
mkdir -p "$out/assets"
npx sass --no-source-map --style=compressed --load-path=node_modules app.scss "$out/slihub.min.css"
cp "$dist/govuk-frontend.min.js" "$out/"
# Only the image the stylesheet itself references (the footer crest, never shown:
# SLI Hub is not on GOV.UK, so it uses no GOV.UK branding).
mkdir -p "$out/assets/images" && cp "$dist/assets/images/govuk-crest.svg" "$out/assets/images/"
echo "built $out"
